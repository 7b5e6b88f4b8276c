using Spillway.Core.Chat;
using Spillway.Core.Ledger;

namespace Spillway.Core.Engine;

/// <summary>What the engine learns while it serves one request; becomes the ledger entry.</summary>
internal sealed class RequestState
{
    public List<AttemptRecord> Attempts { get; } = [];

    /// <summary>Upstream calls made (skips excluded): the <c>x-spillway-attempts</c> header.</summary>
    public int UpstreamCalls { get; set; }

    /// <summary>The routes called (skips excluded), in order, each once: the <c>x-spillway-tried</c> header.</summary>
    public List<string> TriedRoutes { get; } = [];

    public string? ServedRoute { get; set; }

    public int ClientStatus { get; set; }

    public TokenUsage? Usage { get; set; }

    public decimal? CostUsd { get; set; }

    /// <summary>What a free call would have cost on the chain's paid route (or the pricing reference).</summary>
    public decimal? SavedUsd { get; set; }

    public double? TtftMs { get; set; }

    public string? Error { get; set; }

    /// <summary>The request's estimated input tokens, once a token quota or a budget needed them (counted once).</summary>
    public long? EstimatedInputTokens { get; set; }

    /// <summary>Why a step could not carry the request (translation refused), for the client when no step could.</summary>
    public ChatError? Refusal { get; set; }

    /// <summary>When the soonest budget that made a paid step skip starts afresh.</summary>
    public DateTimeOffset? BudgetRecoversAt { get; set; }

    /// <summary>The soonest reset of a quota that made a step skip, for the final 429's Retry-After.</summary>
    public DateTimeOffset? QuotaRecoversAt { get; set; }
}
