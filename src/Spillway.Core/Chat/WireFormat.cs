namespace Spillway.Core.Chat;

/// <summary>
/// A wire format that has a codec: what an upstream speaks (a vendor is a profile of one of these) and a client may
/// speak. Also tags the vendor-only hints in <see cref="ChatExtensions"/> and the parts only one format can carry
/// (<see cref="OpaquePart"/>), so an encoder knows what is its own and what it must drop or refuse.
/// </summary>
public enum WireFormat
{
    /// <summary>OpenAI Chat Completions and the hosts that speak it.</summary>
    OpenAI,

    /// <summary>Anthropic Messages.</summary>
    Anthropic,

    /// <summary>Google Gemini <c>generateContent</c>.</summary>
    Gemini,

    /// <summary>
    /// OpenAI Responses (<c>/v1/responses</c>): what Codex CLI and the Agents SDKs speak, and an upstream format
    /// (<c>format: openai-responses</c>) for hosts that serve it, such as OpenAI itself.
    /// </summary>
    OpenAIResponses,
}
