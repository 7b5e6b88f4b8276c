namespace Spillway.Core.Chat;

/// <summary>A whole (non-streamed) answer in the gateway's own terms.</summary>
/// <param name="Id">The provider's answer id (<c>chatcmpl-…</c>, <c>msg_…</c>).</param>
/// <param name="Model">The model that answered.</param>
/// <param name="Content">The answer: text, thinking, tool calls, in order.</param>
/// <param name="Finish">Why it ended.</param>
public sealed record ChatResponse(string Id, string Model, IReadOnlyList<ChatContentPart> Content, ChatFinish Finish)
{
    /// <summary>Token usage, or null when the provider gave none.</summary>
    public TokenUsage? Usage { get; init; }

    /// <summary>Vendor-only fields (OpenAI <c>created</c>, <c>system_fingerprint</c>, <c>service_tier</c>, …).</summary>
    public ChatExtensions Extensions { get; init; } = ChatExtensions.Empty;
}
