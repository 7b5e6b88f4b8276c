namespace Spillway.Core.Codecs;

/// <summary>An error for the client, before it is put in the client's wire format.</summary>
/// <param name="Status">The HTTP status.</param>
/// <param name="Message">What went wrong, safe to show (never a key).</param>
/// <param name="Type">The error type in OpenAI's vocabulary (<c>invalid_request_error</c>, <c>rate_limit_exceeded</c>, …);
/// other formats map it to their own.</param>
/// <param name="Code">A machine-readable code, or null.</param>
/// <param name="Param">The request field at fault, or null.</param>
public sealed record ClientError(int Status, string Message, string Type, string? Code = null, string? Param = null)
{
    public static ClientError InvalidRequest(string message, string? param = null, string? code = null) =>
        new(400, message, "invalid_request_error", code, param);
}
