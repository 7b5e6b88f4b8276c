using System.Collections.Immutable;
using Spillway.Core.Chat;

namespace Spillway.Core.Ledger;

/// <summary>One client request as the ledger keeps it (contract: <c>GET /admin/requests</c>).</summary>
public sealed record LedgerEntry
{
    public required string Id { get; init; }

    public required DateTimeOffset Time { get; init; }

    /// <summary><c>openai</c> or <c>anthropic</c>: the API the client spoke.</summary>
    public required string ClientFormat { get; init; }

    /// <summary>What the client asked for (an alias or a route).</summary>
    public required string Model { get; init; }

    /// <summary>The <c>provider/model</c> that served it; null when none did.</summary>
    public string? Route { get; init; }

    /// <summary>The status the client got.</summary>
    public required int Status { get; init; }

    public required bool Stream { get; init; }

    public ImmutableArray<AttemptRecord> Attempts { get; init; } = [];

    public TokenUsage? Usage { get; init; }

    /// <summary>The true cost in USD; null when unknown (unpriced).</summary>
    public decimal? CostUsd { get; init; }

    public decimal? SavedUsd { get; init; }

    public required double LatencyMs { get; init; }

    /// <summary>Time to the first streamed event the client got; null when not streaming or none came.</summary>
    public double? TtftMs { get; init; }

    /// <summary>The error the client got, if any (safe to show).</summary>
    public string? Error { get; init; }

    /// <summary>The virtual client key's id, or null for an anonymous loopback client.</summary>
    public string? ClientId { get; init; }
}
