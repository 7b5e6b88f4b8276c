using Spillway.Core.Chat;

namespace Spillway.Core.Codecs.Gemini;

/// <summary>Gemini's <c>finishReason</c> and <c>promptFeedback.blockReason</c> words, both ways.</summary>
internal static class GeminiFinishReasons
{
    /// <summary>
    /// Maps <paramref name="reason"/>. Gemini ends a turn of function calls with <c>STOP</c> (it has no word of its
    /// own for it), so <paramref name="hasToolCalls"/> turns that into <see cref="FinishReason.ToolCalls"/>.
    /// </summary>
    public static ChatFinish ToCanonical(string? reason, bool hasToolCalls)
    {
        var canonical = reason switch
        {
            "STOP" => hasToolCalls ? FinishReason.ToolCalls : FinishReason.Stop,
            "MAX_TOKENS" => FinishReason.Length,
            "SAFETY" or "RECITATION" or "BLOCKLIST" or "PROHIBITED_CONTENT" or "SPII" or "IMAGE_SAFETY"
                or "IMAGE_PROHIBITED_CONTENT" or "IMAGE_RECITATION" => FinishReason.ContentFilter,
            _ => FinishReason.Other,
        };
        return new ChatFinish(canonical, reason, reason is null ? null : WireFormat.Gemini);
    }

    /// <summary>A prompt Gemini refused to answer at all: a content-filter outcome carrying the block reason.</summary>
    public static ChatFinish Blocked(string blockReason) =>
        new(FinishReason.ContentFilter, blockReason, WireFormat.Gemini);

    /// <summary>The Gemini word for <paramref name="finish"/>: Gemini's own when it came from Gemini.</summary>
    public static string ToGemini(ChatFinish finish) =>
        finish.OriginalIn(WireFormat.Gemini) ?? finish.Reason switch
        {
            FinishReason.Stop or FinishReason.ToolCalls => "STOP",
            FinishReason.Length => "MAX_TOKENS",

            // Gemini has no word for a model that declines; SAFETY is how Gemini itself reports withheld output.
            FinishReason.ContentFilter or FinishReason.Refusal => "SAFETY",
            _ => "OTHER",
        };
}
