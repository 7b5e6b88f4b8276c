using Spillway.Core.Chat;

namespace Spillway.Core.Codecs.OpenAI;

/// <summary>OpenAI <c>finish_reason</c> both ways; the provider's word is kept in <see cref="ChatFinish"/>.</summary>
internal static class OpenAIFinishReasons
{
    public static ChatFinish Decode(string reason) => new(
        reason switch
        {
            "stop" => FinishReason.Stop,
            "length" => FinishReason.Length,
            "tool_calls" or "function_call" => FinishReason.ToolCalls,
            "content_filter" => FinishReason.ContentFilter,
            _ => FinishReason.Other,
        },
        reason,
        WireFormat.OpenAI);

    public static string Encode(ChatFinish finish) => finish.Reason switch
    {
        FinishReason.Stop => "stop",
        FinishReason.Length => "length",
        FinishReason.ToolCalls => "tool_calls",
        FinishReason.ContentFilter or FinishReason.Refusal => "content_filter",

        // An OpenAI-format host's own word (OpenRouter "error") goes back as it was; another format's has no
        // OpenAI meaning, and "stop" is what the client can act on.
        _ => finish.OriginalIn(WireFormat.OpenAI) ?? "stop",
    };
}
