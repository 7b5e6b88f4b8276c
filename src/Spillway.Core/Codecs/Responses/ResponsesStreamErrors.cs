using System.Text.Json;
using Spillway.Core.Chat;
using Spillway.Core.Failures.Classification;

namespace Spillway.Core.Codecs.Responses;

/// <summary>
/// The errors a Responses upstream reports after it answered 200: the stream's <c>error</c> event
/// (<c>{"type":"error","code","message","param"}</c>) and a <c>failed</c> response's <c>error</c>
/// (<c>{"code","message"}</c>). Neither carries a status, so the code says which it would have been.
/// </summary>
internal static class ResponsesStreamErrors
{
    /// <summary>The error of an <c>error</c> event.</summary>
    public static ChatError FromErrorEvent(JsonElement root) => Of(
        JsonElementReader.String(root, "code"), JsonElementReader.String(root, "message"), JsonElementReader.String(root, "param"));

    /// <summary>The error of a <c>failed</c> response object.</summary>
    public static ChatError FromResponse(JsonElement response) =>
        JsonElementReader.TryGet(response, "error", out var error)
            ? Of(JsonElementReader.String(error, "code"), JsonElementReader.String(error, "message"), null)
            : Of(null, null, null);

    /// <summary>The status an error code stands for: 429 for rate limits, 400 for a bad request, else 502.</summary>
    public static int StatusOf(string? code) => OpenAIFamilyRules.StatusOf(code) ?? code switch
    {
        "invalid_request_error" or "invalid_prompt" or "context_length_exceeded" => 400,
        "server_is_overloaded" => 503,
        _ => 502,
    };

    private static ChatError Of(string? code, string? message, string? param)
    {
        var status = StatusOf(code);
        return new ChatError(status, ChatErrorKinds.FromStatus(status), message ?? "The upstream's response failed.")
        {
            Param = param,
            UpstreamCode = code,
        };
    }
}
