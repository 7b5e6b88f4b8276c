namespace Spillway.Core.Chat;

/// <summary>A canonical <see cref="FinishReason"/> as one lower-case word, where the provider's own word is not known.</summary>
public static class FinishReasonNames
{
    public static string Of(FinishReason reason) => reason switch
    {
        FinishReason.Stop => "stop",
        FinishReason.Length => "length",
        FinishReason.ToolCalls => "tool_calls",
        FinishReason.ContentFilter => "content_filter",
        FinishReason.Refusal => "refusal",
        _ => "other",
    };

    /// <summary>The provider's word when kept, else the canonical one.</summary>
    public static string Of(ChatFinish finish)
    {
        ArgumentNullException.ThrowIfNull(finish);
        return finish.Original ?? Of(finish.Reason);
    }
}
