namespace Spillway.Core.Providers;

/// <summary>Upstream timeouts (contract: <c>timeouts:</c>).</summary>
/// <param name="Connect">Until the TCP/TLS connection is up.</param>
/// <param name="FirstToken">Until the response headers and, when streaming, the first event.</param>
/// <param name="IdleStream">The longest silence allowed between streamed events.</param>
public sealed record TimeoutsConfig(TimeSpan Connect, TimeSpan FirstToken, TimeSpan IdleStream)
{
    public static TimeoutsConfig Default { get; } =
        new(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30));
}
