using Spillway.Core.Chat;

namespace Spillway.Core.Codecs.Anthropic;

/// <summary>Anthropic <c>stop_reason</c> both ways; the provider's word is always kept in <see cref="ChatFinish"/>.</summary>
internal static class AnthropicStopReasons
{
    public static ChatFinish Decode(string reason, string? stopSequence)
    {
        var canonical = reason switch
        {
            "end_turn" or "stop_sequence" => FinishReason.Stop,
            "max_tokens" or "model_context_window_exceeded" => FinishReason.Length,
            "tool_use" => FinishReason.ToolCalls,
            "refusal" => FinishReason.Refusal,
            _ => FinishReason.Other,
        };
        return new ChatFinish(canonical, reason, WireFormat.Anthropic) { StopSequence = stopSequence };
    }

    public static string Encode(ChatFinish finish)
    {
        var own = finish.OriginalIn(WireFormat.Anthropic);
        return finish.Reason switch
        {
            FinishReason.Stop when finish.StopSequence is not null || own == "stop_sequence" => "stop_sequence",
            FinishReason.Stop => "end_turn",
            FinishReason.Length => own ?? "max_tokens",
            FinishReason.ToolCalls => "tool_use",
            FinishReason.ContentFilter or FinishReason.Refusal => "refusal",
            _ => own ?? "end_turn",
        };
    }
}
