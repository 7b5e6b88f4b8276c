namespace Spillway.Core.Chat;

/// <summary>A keep-alive with no content; encoders may write one or ignore it.</summary>
public sealed record PingEvent : ChatStreamEvent
{
    /// <summary>The shared instance.</summary>
    public static PingEvent Instance { get; } = new();
}
