namespace Spillway.Core.Chat;

/// <summary>More reasoning text of a thinking part; the first one opens the part.</summary>
/// <param name="Index">The part's index.</param>
/// <param name="Text">The new reasoning text.</param>
public sealed record ThinkingDeltaEvent(int Index, string Text) : ChatStreamEvent;
