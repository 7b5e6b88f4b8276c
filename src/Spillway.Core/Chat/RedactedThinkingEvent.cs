namespace Spillway.Core.Chat;

/// <summary>A redacted thinking part opens, whole.</summary>
/// <param name="Index">The part's index.</param>
/// <param name="Data">The encrypted reasoning.</param>
public sealed record RedactedThinkingEvent(int Index, string Data) : ChatStreamEvent;
