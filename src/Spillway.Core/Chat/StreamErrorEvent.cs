namespace Spillway.Core.Chat;

/// <summary>The stream failed after it started; nothing else follows, and the answer is incomplete.</summary>
/// <param name="Error">What went wrong.</param>
public sealed record StreamErrorEvent(ChatError Error) : ChatStreamEvent;
