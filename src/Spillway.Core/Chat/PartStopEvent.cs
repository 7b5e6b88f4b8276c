namespace Spillway.Core.Chat;

/// <summary>A part is complete; no more events for its index follow.</summary>
/// <param name="Index">The part's index.</param>
public sealed record PartStopEvent(int Index) : ChatStreamEvent;
