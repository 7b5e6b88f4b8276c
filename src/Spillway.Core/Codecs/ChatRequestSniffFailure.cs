namespace Spillway.Core.Codecs;

/// <summary>
/// Why a chat request body was refused before routing: the message for the client and the OpenAI <c>param</c> it
/// concerns (null when it concerns the body as a whole). The caller answers 400 <c>invalid_request_error</c>.
/// </summary>
/// <param name="Message">A sentence the client can act on.</param>
/// <param name="Param">The offending request field, as OpenAI names it in <c>error.param</c>.</param>
public sealed record ChatRequestSniffFailure(string Message, string? Param);
