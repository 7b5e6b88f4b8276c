namespace Spillway.Core.Chat;

/// <summary>Why an answer ended, with the provider's own word kept.</summary>
/// <param name="Reason">The canonical reason.</param>
/// <param name="Original">The provider's string (<c>end_turn</c>, <c>pause_turn</c>, <c>error</c>, …), or null.</param>
/// <param name="OriginalFormat">The format <paramref name="Original"/> belongs to, or null.</param>
public sealed record ChatFinish(FinishReason Reason, string? Original = null, WireFormat? OriginalFormat = null)
{
    /// <summary>The stop sequence that ended the answer, when the provider says (Anthropic <c>stop_sequence</c>).</summary>
    public string? StopSequence { get; init; }

    /// <summary>The provider's own word when it belongs to <paramref name="format"/>; null otherwise.</summary>
    public string? OriginalIn(WireFormat format) => OriginalFormat == format ? Original : null;
}
