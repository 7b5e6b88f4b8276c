namespace Spillway.Core.Chat;

/// <summary>
/// One event of a streamed answer in the gateway's own terms. A stream decoder turns each upstream SSE event into
/// zero or more of these; a stream encoder turns them into the client's SSE events.
/// </summary>
/// <remarks>
/// Part indexes are positions in the answer's content, counted from 0 in order of first appearance, whatever the
/// wire format numbers them by. A part is open from its first event until its <see cref="PartStopEvent"/>.
/// </remarks>
public abstract record ChatStreamEvent
{
    /// <summary>Vendor-only fields of the wire event this came from, written back only by the same format.</summary>
    public ChatExtensions Extensions { get; init; } = ChatExtensions.Empty;
}
