using System.Diagnostics;
using System.Diagnostics.Metrics;
using Spillway.Core.Ledger;

namespace Spillway.Core.Telemetry;

/// <summary>
/// The gateway's counters and histograms (contract: "Metrics"), fed from each request's ledger entry as it is handed
/// to the ledger: the entry already holds every attempt, the usage, the cost and the saving, so the request path does
/// no bookkeeping of its own for them. Exposed by the host (Prometheus text at <c>/metrics</c>; OTLP where set up).
/// Instrument names follow OpenTelemetry's rules and become the Prometheus names in the comments (dots to
/// underscores, the unit as a suffix, <c>_total</c> on counters).
/// </summary>
public sealed class GatewayMetrics
{
    /// <summary>The GenAI conventions' advised buckets for an operation's duration, in seconds.</summary>
    private static readonly double[] DurationBuckets = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92];

    /// <summary>The GenAI conventions' advised buckets for token counts.</summary>
    private static readonly long[] TokenBuckets = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864];

    private readonly Func<string, bool> _knownModel;
    private readonly Counter<long> _requests;
    private readonly Counter<long> _attempts;
    private readonly Counter<double> _cost;
    private readonly Counter<double> _saved;
    private readonly Counter<long> _unpriced;
    private readonly Histogram<double> _duration;
    private readonly Histogram<long> _tokens;
    private readonly Histogram<double> _timeToFirstToken;

    /// <param name="meter">The gateway's meter (<see cref="GatewayTelemetry.Name"/>).</param>
    /// <param name="knownModel">True for a configured alias or <c>provider/model</c> route: any other name a client
    /// sent is labelled <c>other</c>, so a client cannot grow the label set without bound.</param>
    public GatewayMetrics(Meter meter, Func<string, bool> knownModel)
    {
        ArgumentNullException.ThrowIfNull(meter);
        _knownModel = knownModel;

        // spillway_requests_total{format,alias,outcome}
        _requests = meter.CreateCounter<long>("spillway.requests", "{request}", "Client requests, by the API spoken, the alias asked for and the outcome the client got.");

        // spillway_attempts_total{provider,route,key_id,outcome}
        _attempts = meter.CreateCounter<long>("spillway.attempts", "{attempt}", "Steps of the chains: upstream calls and skips, by outcome as in the ledger.");

        // spillway_cost_usd_total{provider,route}, spillway_saved_usd_total{route}, spillway_unpriced_calls_total{route}
        _cost = meter.CreateCounter<double>("spillway.cost_usd", "{USD}", "The true cost of the calls served, in US dollars.");
        _saved = meter.CreateCounter<double>("spillway.saved_usd", "{USD}", "What the free calls served would have cost on the chain's paid route, in US dollars.");
        _unpriced = meter.CreateCounter<long>("spillway.unpriced_calls", "{call}", "Calls served whose cost is unknown (no price for the route).");

        // gen_ai_client_operation_duration_seconds, gen_ai_client_token_usage, gen_ai_server_time_to_first_token_seconds
        _duration = meter.CreateHistogram(
            "gen_ai.client.operation.duration", "s", "Duration of each upstream call.", tags: null,
            new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        _tokens = meter.CreateHistogram(
            "gen_ai.client.token.usage", "{token}", "Tokens used by the requests served, input and output.", tags: null,
            new InstrumentAdvice<long> { HistogramBucketBoundaries = TokenBuckets });
        _timeToFirstToken = meter.CreateHistogram(
            "gen_ai.server.time_to_first_token", "s", "Time from a streamed request's arrival to the first event its client got.", tags: null,
            new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
    }

    /// <summary>Counts one finished request from its ledger entry.</summary>
    public void Record(LedgerEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var operation = entry.ClientFormat == "openai-embeddings" ? GenAiAttributes.Embeddings : GenAiAttributes.Chat;
        _requests.Add(1, new TagList
        {
            { "format", entry.ClientFormat },
            { "alias", _knownModel(entry.Model) ? entry.Model : "other" },
            { "outcome", RequestOutcome.Of(entry.Status, entry.Error) },
        });

        foreach (var attempt in entry.Attempts)
        {
            RecordAttempt(operation, attempt);
        }

        if (entry.Route is not { } route)
        {
            return;
        }

        var provider = RouteName.Provider(route);
        var model = RouteName.Model(route);
        if (entry.CostUsd is { } cost)
        {
            _cost.Add((double)cost, new TagList { { "provider", provider }, { "route", route } });
        }
        else if (entry.Status < 400)
        {
            _unpriced.Add(1, new TagList { { "route", route } });
        }

        if (entry.SavedUsd is { } saved)
        {
            _saved.Add((double)saved, new TagList { { "route", route } });
        }

        if (entry.Usage is { } usage)
        {
            _tokens.Record(usage.InputTokens, GenAiTags(operation, provider, model, "input"));
            _tokens.Record(usage.OutputTokens, GenAiTags(operation, provider, model, "output"));
        }

        if (entry.TtftMs is { } ttft)
        {
            _timeToFirstToken.Record(ttft / 1000, new TagList
            {
                { GenAiAttributes.OperationName, operation },
                { GenAiAttributes.ProviderName, provider },
                { GenAiAttributes.RequestModel, model },
            });
        }
    }

    private void RecordAttempt(string operation, AttemptRecord attempt)
    {
        var provider = RouteName.Provider(attempt.Route);
        _attempts.Add(1, new TagList
        {
            { "provider", provider },
            { "route", attempt.Route },
            { "key_id", attempt.KeyId ?? string.Empty },
            { "outcome", attempt.Outcome },
        });
        if (Outcomes.IsSkip(attempt.Outcome))
        {
            return;
        }

        var tags = new TagList
        {
            { GenAiAttributes.OperationName, operation },
            { GenAiAttributes.ProviderName, provider },
            { GenAiAttributes.RequestModel, RouteName.Model(attempt.Route) },
        };
        if (attempt.Outcome != Outcomes.Ok)
        {
            tags.Add(GenAiAttributes.ErrorType, attempt.Outcome);
        }

        _duration.Record(attempt.LatencyMs / 1000, tags);
    }

    private static TagList GenAiTags(string operation, string provider, string model, string tokenType) => new()
    {
        { GenAiAttributes.OperationName, operation },
        { GenAiAttributes.ProviderName, provider },
        { GenAiAttributes.RequestModel, model },
        { GenAiAttributes.TokenType, tokenType },
    };
}
