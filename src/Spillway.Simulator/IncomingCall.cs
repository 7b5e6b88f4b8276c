namespace Spillway.Simulator;

/// <summary>One call as a wire-format endpoint read it, before the shared <see cref="CallFlow"/> decides the answer.</summary>
/// <param name="Key">The API key, from whichever header or query parameter the format uses; null when none was sent.</param>
/// <param name="Body">The raw request body, kept for <see cref="RecordedCall.Body"/>.</param>
/// <param name="Request">The parsed body (the model may come from the URL instead).</param>
/// <param name="HeaderProblem">A header the real API requires and the call lacks (checked after the key, before the body).</param>
internal sealed record IncomingCall(string? Key, byte[] Body, ChatRequest Request, ErrorKind? HeaderProblem = null);
