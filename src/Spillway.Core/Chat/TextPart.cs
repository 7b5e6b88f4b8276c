namespace Spillway.Core.Chat;

/// <summary>Plain text.</summary>
/// <param name="Text">The text.</param>
public sealed record TextPart(string Text) : ChatContentPart;
