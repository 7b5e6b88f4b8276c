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

    /// <summary>
    /// The encoder writing the client's stream (null while events pass through as they came): a stream that fails is
    /// ended through it, so the in-band error follows what it wrote (a Responses stream's numbering goes on).
    /// </summary>
    public Codecs.IChatStreamEncoder? StreamEncoder { get; set; }

    public int ClientStatus { get; set; }

    /// <summary>The finish reason of the call under way (or the last one made), when its answer said one.</summary>
    public string? FinishReason { get; set; }

    /// <summary>The model the upstream said answered the call under way, when its answer was decoded.</summary>
    public string? ResponseModel { get; set; }

    /// <summary>The usage of the call under way (or the last one made).</summary>
    public TokenUsage? Usage { get; set; }

    /// <summary>The request's cost: every priced call's together; null when one of them has no known price.</summary>
    public decimal? CostUsd { get; set; }

    /// <summary>What a free call would have cost on the chain's paid route (or the pricing reference), over every priced call.</summary>
    public decimal? SavedUsd { get; set; }

    /// <summary>The cost of the call under way, once priced: what its budget hold settles with.</summary>
    public decimal? CallCostUsd { get; set; }

    /// <summary>How many calls were priced (a continued stream prices each call that wrote to the client).</summary>
    public int PricedCalls { get; set; }

    /// <summary>What the client has been sent of a streamed answer, recorded only when a later step of the plan could
    /// go on with it (and the alias continues broken streams); else null. Also holds the usage of calls that broke.</summary>
    public Codecs.StreamTranscript? Transcript { get; set; }

    /// <summary>How many times a broken stream went on from another route.</summary>
    public int Continuations { get; set; }

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

    /// <summary>An upstream call of <paramref name="route"/> begins: counted, its cost not known yet, the route named once in the tried list.</summary>
    public void BeginCall(string route)
    {
        UpstreamCalls++;
        CallCostUsd = null;
        FinishReason = null;
        ResponseModel = null;
        if (!TriedRoutes.Contains(route))
        {
            TriedRoutes.Add(route);
        }
    }
}
