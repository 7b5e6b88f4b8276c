namespace Spillway.Core.Chat;

/// <summary>More text of a text part; the first one opens the part.</summary>
/// <param name="Index">The part's index.</param>
/// <param name="Text">The new text.</param>
public sealed record TextDeltaEvent(int Index, string Text) : ChatStreamEvent;
