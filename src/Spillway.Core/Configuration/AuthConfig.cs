using System.Collections.Immutable;

namespace Spillway.Core.Configuration;

/// <summary>Who may call Spillway. With no clients listed only loopback callers are served.</summary>
public sealed record AuthConfig
{
    public static AuthConfig None { get; } = new();

    /// <summary>Guards <c>/admin</c>; null leaves it open to loopback callers only.</summary>
    public Secret? AdminToken { get; init; }

    public ImmutableArray<ClientKeyConfig> Clients { get; init; } = [];
}
