namespace Spillway.Core.Chat;

/// <summary>The answer begins.</summary>
/// <param name="Id">The provider's answer id.</param>
/// <param name="Model">The model that answers.</param>
public sealed record MessageStartEvent(string Id, string Model) : ChatStreamEvent
{
    /// <summary>Usage known at the start (Anthropic reports input here), or null.</summary>
    public TokenUsage? Usage { get; init; }
}
