using System.Collections.Immutable;
using Spillway.Core.Providers;

namespace Spillway.Core.Configuration;

/// <summary>
/// The whole configuration as one immutable snapshot. Runtime state (cooldowns, counters) never lives here;
/// a reload swaps the snapshot.
/// </summary>
public sealed record SpillwayConfig
{
    public ImmutableArray<ProviderConfig> Providers { get; init; } = [];

    public ImmutableArray<ModelAliasConfig> Models { get; init; } = [];

    public ImmutableArray<PriceOverride> Pricing { get; init; } = [];

    /// <summary>
    /// <c>pricing_reference</c>: the route a free call's saving is priced at when its chain has no priced paid step
    /// (a configured <c>provider/model</c>, or a preset's <c>preset/model</c> from the bundled table). Null: none.
    /// </summary>
    public string? PricingReference { get; init; }

    public TimeoutsConfig Timeouts { get; init; } = TimeoutsConfig.Default;

    /// <summary>When a route's circuit breaker opens and for how long.</summary>
    public BreakerConfig Breaker { get; init; } = BreakerConfig.Default;

    /// <summary>
    /// On stop, how long requests under way may finish (<c>timeouts.shutdown_grace_seconds</c>); then streams still
    /// running end with their in-band error. Below Docker's 10 s stop grace, so <c>docker stop</c> never kills mid-answer.
    /// </summary>
    public TimeSpan ShutdownGrace { get; init; } = DefaultShutdownGrace;

    /// <summary>The default <see cref="ShutdownGrace"/>: 8 s.</summary>
    public static readonly TimeSpan DefaultShutdownGrace = TimeSpan.FromSeconds(8);

    public AuthConfig Auth { get; init; } = AuthConfig.None;

    /// <summary>Background model catalogs (free-model discovery).</summary>
    public CatalogConfig Catalog { get; init; } = CatalogConfig.None;

    /// <summary>
    /// The shared stores (<c>storage:</c>; without the section, <c>SPILLWAY_REDIS</c> / <c>SPILLWAY_POSTGRES</c>).
    /// <see cref="StorageConfig.None"/>: everything stays in the data folder's SQLite database.
    /// </summary>
    public StorageConfig Storage { get; init; } = StorageConfig.None;

    /// <summary>How long the ledger keeps its entries (<c>ledger:</c>).</summary>
    public LedgerConfig Ledger { get; init; } = LedgerConfig.Default;

    /// <summary>Metrics and traces (<c>metrics:</c>, <c>telemetry:</c>).</summary>
    public TelemetryConfig Telemetry { get; init; } = TelemetryConfig.Default;

    /// <summary>Where it was read from: a file path, "environment" or "demo".</summary>
    public string Source { get; init; } = "environment";

    public ProviderConfig? FindProvider(string id)
    {
        foreach (var provider in Providers)
        {
            if (string.Equals(provider.Id, id, StringComparison.Ordinal))
            {
                return provider;
            }
        }

        return null;
    }

    public ModelAliasConfig? FindAlias(string id)
    {
        foreach (var alias in Models)
        {
            if (string.Equals(alias.Id, id, StringComparison.Ordinal))
            {
                return alias;
            }
        }

        return null;
    }

    /// <summary>
    /// The embedding model <paramref name="name"/> stands for: an alias whose routes are routes of an embedding model
    /// (the loader keeps such an alias to that one model), or a <c>provider/model</c> route to one; null otherwise.
    /// </summary>
    public string? EmbeddingModelOf(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (FindAlias(name) is { } alias)
        {
            return alias.Route.IsDefaultOrEmpty ? null : EmbeddingModelOfRoute(alias.Route[0]);
        }

        return EmbeddingModelOfRoute(name);
    }

    // Asked of every chat request's model, so it compares spans of the route rather than cutting it into strings.
    private string? EmbeddingModelOfRoute(string route)
    {
        var slash = route.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == route.Length - 1)
        {
            return null;
        }

        var providerId = route.AsSpan(0, slash);
        var model = route.AsSpan(slash + 1);
        foreach (var provider in Providers)
        {
            if (provider.EmbeddingModels.IsDefaultOrEmpty || !providerId.SequenceEqual(provider.Id))
            {
                continue;
            }

            foreach (var embedding in provider.EmbeddingModels)
            {
                if (model.SequenceEqual(embedding))
                {
                    return embedding;
                }
            }
        }

        return null;
    }
}
