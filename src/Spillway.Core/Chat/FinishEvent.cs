namespace Spillway.Core.Chat;

/// <summary>The answer's content is complete; usage may still follow.</summary>
/// <param name="Finish">Why it ended.</param>
public sealed record FinishEvent(ChatFinish Finish) : ChatStreamEvent;
