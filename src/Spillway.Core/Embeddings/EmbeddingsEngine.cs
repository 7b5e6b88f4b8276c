using System.Buffers;
using Microsoft.Extensions.Logging;
using Spillway.Core.Budgets;
using Spillway.Core.Buffers;
using Spillway.Core.Chat;
using Spillway.Core.Codecs;
using Spillway.Core.Codecs.OpenAI;
using Spillway.Core.Engine;
using Spillway.Core.Failures;
using Spillway.Core.Failures.Classification;
using Spillway.Core.Health;
using Spillway.Core.KeyState;
using Spillway.Core.Ledger;
using Spillway.Core.Providers;
using Spillway.Core.Providers.RateLimits;
using Spillway.Core.Telemetry;

namespace Spillway.Core.Embeddings;

/// <summary>
/// Serves <c>POST /v1/embeddings</c> through its plan: the chat engine's walk without streams or translation of
/// conversations, built from the same parts (src/Spillway.Core/README.md, "Embeddings").
/// <code>
///   step: cooled key? ─▶ skip │ input the host cannot read (token ids to Gemini)? ─▶ skip
///         budget, breaker, quota admit (one lease)? no ─▶ skip
///         call upstream ──failure──▶ classify ─▶ cool key ─▶ same step again | next step | stop
///         200 read whole ─▶ x-spillway-* headers and cost ─▶ the answer ─▶ settle the lease, the ledger entry
/// </code>
/// Every step of a plan is the same embedding model (the config loader refuses a chain that mixes models), so any
/// step's vectors may stand in for another's. An OpenAI-format host gets the client's bytes with only <c>model</c>
/// rewritten and its answer goes back as it came; a Gemini host is asked natively and its vectors are written in
/// OpenAI's shape. The answer is read whole before anything is sent: its cost header must precede the body, and a
/// 200 cut short must still be able to fall back. Unlike chat, a short stated rate-limit wait is not waited out on the
/// same key: the request simply moves on or gets the 429 with <c>Retry-After</c>.
/// </summary>
public sealed partial class EmbeddingsEngine
{
    private readonly UpstreamClient _upstream;
    private readonly Admission _admission;
    private readonly ILedgerSink _ledger;
    private readonly CostCalculator _costs;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly EngineOptions _options;
    private readonly ISpendJournal? _journal;
    private readonly CancellationToken _shutdown;

    /// <summary>The chat engine's collaborators (see <see cref="FallbackEngine"/>), shared with it.</summary>
    internal EmbeddingsEngine(
        UpstreamClient upstream,
        IKeyStateStore keys,
        IQuotaStore quotas,
        IBudgetStore budgets,
        ILedgerSink ledger,
        CostCalculator costs,
        TimeProvider time,
        ILogger logger,
        EngineOptions options,
        RouteHealth health,
        ISpendJournal? journal = null,
        CancellationToken shutdown = default)
    {
        _upstream = upstream;
        _admission = new Admission(keys, quotas, budgets, health, costs, time, logger);
        _ledger = ledger;
        _costs = costs;
        _time = time;
        _logger = logger;
        _options = options;
        _journal = journal;
        _shutdown = shutdown;
    }

    /// <summary>Serves one request through its plan and records it in the ledger.</summary>
    public async Task ExecuteAsync(EmbeddingsCall call, IClientResponse client, CancellationToken aborted)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(client);
        using var span = GatewaySpans.StartRequest(
            GenAiAttributes.Embeddings, call.RequestedModel, call.RequestId, EmbeddingsCall.ClientFormat, call.ClientId);
        var state = new RequestState();
        state.Attempts.AddRange(call.Plan.PolicySkips);
        var result = await WalkAsync(call, client, state, aborted);
        if (result is null or { End: StepEnd.Failed })
        {
            await WriteFinalErrorAsync(call, client, state, result?.Failure, aborted);
        }
        else if (result.Value.End == StepEnd.ClientGone)
        {
            state.ClientStatus = 499;
            state.Error ??= "client closed the connection";
        }

        var entry = new LedgerEntry
        {
            Id = call.RequestId,
            Time = call.ReceivedAt,
            ClientFormat = EmbeddingsCall.ClientFormat,
            Model = call.RequestedModel,
            Route = state.ServedRoute,
            Status = state.ClientStatus,
            Stream = false,
            Attempts = [.. state.Attempts],
            Usage = state.Usage,
            CostUsd = state.CostUsd,
            SavedUsd = state.SavedUsd,
            LatencyMs = _time.GetElapsedTime(call.ReceivedTimestamp).TotalMilliseconds,
            Error = state.Error,
            ClientId = call.ClientId,
        };
        _ledger.Enqueue(entry);
        GatewaySpans.EndRequest(span, entry, finishReason: null);
    }

    private async Task<StepResult?> WalkAsync(EmbeddingsCall call, IClientResponse client, RequestState state, CancellationToken aborted)
    {
        StepResult? last = null;
        foreach (var step in call.Plan.Steps)
        {
            if (_admission.SkipsCooledKey(step, state))
            {
                continue;
            }

            if (Unreadable(call.Request, step) is { } missing)
            {
                state.Attempts.Add(new AttemptRecord(step.Route, step.Key.Id, null, Outcomes.SkippedCapability, 0, missing));
                continue;
            }

            using var body = new PooledBufferWriter(call.Request.Body.Length + 256);
            var path = Encode(call.Request, step, body);
            using var lease = await _admission.TryAdmitAsync(call, step, state, aborted);
            if (!lease.IsAdmitted)
            {
                continue;
            }

            var retried = false;
            while (true)
            {
                var result = await CallAsync(call, step, path, body.WrittenMemory, lease, client, state, aborted);
                last = result;
                if (result.End != StepEnd.Failed)
                {
                    return result;
                }

                var failure = result.Failure!;
                _admission.Cool(step, failure, _time.GetUtcNow());
                var decision = FallbackPolicy.Decide(failure, retried, FallbackEngine.MayHaveBilled(step, result));
                if (decision == FallbackDecision.RetrySameStepNow)
                {
                    retried = true;
                    if (!await lease.TryHoldBudgetAsync(aborted))
                    {
                        break;
                    }

                    continue;
                }

                if (decision == FallbackDecision.Stop)
                {
                    return result;
                }

                break;
            }
        }

        return last;
    }

    /// <summary>Why <paramref name="step"/>'s host cannot read this request, or null when it can.</summary>
    private static string? Unreadable(EmbeddingsRequest request, RouteStep step) => step.Provider.Format switch
    {
        WireFormat.OpenAI => null,
        WireFormat.Gemini when request.IsTokenInput =>
            "token-id input can only go to an OpenAI-format host (Gemini embeds text, and does not share OpenAI's tokenizer)",
        WireFormat.Gemini => null,
        _ => $"a {step.Provider.Format} host has no embeddings endpoint",
    };

    /// <summary>Writes the upstream body for <paramref name="step"/> and returns its path under the base URL.</summary>
    private static string Encode(EmbeddingsRequest request, RouteStep step, PooledBufferWriter output)
    {
        if (step.Provider.Format == WireFormat.Gemini)
        {
            var list = request.InputKind == EmbeddingsInputKind.Texts;
            Codecs.Gemini.GeminiEmbeddings.WriteRequest(output, step.UpstreamModel, request.Texts(), request.Dimensions, list);
            return Codecs.Gemini.GeminiEmbeddings.PathFor(step.UpstreamModel, request.InputCount, list);
        }

        // Same wire format as the client: its bytes with only the route's model in place of the alias.
        if (!TopLevelModelRewriter.Rewrite(request.Body.Span, step.UpstreamModel, output))
        {
            output.Write(request.Body.Span);
        }

        return "embeddings";
    }

    private async Task<StepResult> CallAsync(
        EmbeddingsCall call,
        RouteStep step,
        string path,
        ReadOnlyMemory<byte> body,
        AdmissionLease lease,
        IClientResponse client,
        RequestState state,
        CancellationToken aborted)
    {
        var started = _time.GetTimestamp();
        state.BeginCall(step.Route);
        using var span = GatewaySpans.StartAttempt(GenAiAttributes.Embeddings, step);

        var timeouts = step.Provider.Timeouts ?? call.Timeouts;
        using var deadline = new CancellationTokenSource(timeouts.FirstToken, _time);
        using var linked = _shutdown.CanBeCanceled
            ? CancellationTokenSource.CreateLinkedTokenSource(aborted, deadline.Token, _shutdown)
            : CancellationTokenSource.CreateLinkedTokenSource(aborted, deadline.Token);
        using var request = _upstream.CreatePost(step, path, body);
        _upstream.SetConnectTimeout(request, timeouts.Connect);

        StepResult result;
        string? note = null;
        HttpResponseMessage? response = null;
        try
        {
            response = await _upstream.SendAsync(request, linked.Token);
            _admission.LearnFromHeaders(step, response);
            if (!response.IsSuccessStatusCode)
            {
                result = await FailAsync(step, response, linked.Token);
            }
            else
            {
                // The answer comes whole: once the headers are in, the idle limit holds for the rest of the body.
                deadline.CancelAfter(timeouts.IdleStream);
                (result, note) = await RelayAsync(call, step, response, client, state, linked.Token);
            }
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            result = StepResult.ClientGone((int?)response?.StatusCode);
        }
        catch (OperationCanceledException) when (_shutdown.IsCancellationRequested)
        {
            result = StepResult.Failed(
                new FailureClassification(FailureClass.Shutdown, "the gateway is shutting down and its drain grace ran out; retry on another instance"),
                (int?)response?.StatusCode);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException)
        {
            var failure = UpstreamFailureClassifier.ClassifyTransportError(ex, deadline.IsCancellationRequested, step.Provider.Id);
            result = StepResult.Failed(failure, (int?)response?.StatusCode);
        }
        finally
        {
            response?.Dispose();
        }

        FallbackEngine.RecordAttempt(step, state, result, _time.GetElapsedTime(started).TotalMilliseconds, note);
        GatewaySpans.EndAttempt(span, state.Attempts[^1], state.Usage, state.CallCostUsd, finishReason: null, responseModel: null);
        lease.Settle(result, started);
        return result;
    }

    private async Task<StepResult> FailAsync(RouteStep step, HttpResponseMessage response, CancellationToken token)
    {
        var status = (int)response.StatusCode;
        using var errorBody = new PooledBufferWriter(4096);
        await FallbackEngine.ReadBoundedAsync(response.Content, errorBody, _options.MaxErrorBodyBytes, truncate: true, token);
        var failure = UpstreamFailureClassifier.Classify(
            step.Provider.Id, step.Provider.RateLimits, status, new UpstreamHeaders(response), errorBody.WrittenSpan, _time.GetUtcNow());
        return StepResult.Failed(FallbackEngine.Scrubbed(failure, step), status);
    }

    /// <summary>Reads the answer whole, prices it, commits the route and sends it (as it came, or in OpenAI's shape).</summary>
    private async Task<(StepResult Result, string? Note)> RelayAsync(
        EmbeddingsCall call, RouteStep step, HttpResponseMessage response, IClientResponse client, RequestState state, CancellationToken token)
    {
        var status = (int)response.StatusCode;
        using var answer = new PooledBufferWriter(16 * 1024);
        if (!await FallbackEngine.ReadBoundedAsync(response.Content, answer, _options.MaxResponseBytes, truncate: false, token))
        {
            return (Broken(step, status, $"response larger than {_options.MaxResponseBytes} bytes"), null);
        }

        // An OpenAI-format answer is checked whole and its usage read in one pass (the vectors make it long).
        TokenUsage? reported = null;
        var complete = step.Provider.Format == WireFormat.OpenAI
            ? OpenAIUsageReader.TryReadComplete(answer.WrittenSpan, out reported)
            : JsonCompleteness.IsComplete(answer.WrittenSpan);
        if (!complete)
        {
            return (Broken(step, status, "the response body is not complete JSON"), null);
        }

        string? note = null;
        using var translated = new PooledBufferWriter(step.Provider.Format == WireFormat.OpenAI ? 1 : answer.WrittenCount * 2);
        ReadOnlyMemory<byte> body;
        string contentType;
        if (step.Provider.Format == WireFormat.OpenAI)
        {
            // Embeddings usage is { prompt_tokens, total_tokens }: the chat reader takes the first as input.
            state.Usage = reported;
            if (state.Usage is null)
            {
                state.Usage = new TokenUsage(call.InputTokens(state), 0);
                note = "the host reported no usage: input tokens estimated locally (o200k)";
            }

            body = answer.WrittenMemory;
            contentType = response.Content.Headers.ContentType?.ToString() ?? "application/json";
        }
        else
        {
            var vectors = Codecs.Gemini.GeminiEmbeddings.ReadVectors(answer.WrittenSpan);
            if (vectors is null || vectors.Count != call.Request.InputCount)
            {
                var found = vectors is null ? "no embeddings" : $"{vectors.Count} embeddings for {call.Request.InputCount} inputs";
                return (Broken(step, status, $"the answer is not an embeddings answer ({found})"), null);
            }

            // Gemini's embed answers report no tokens: the input is counted here, and the ledger says so.
            state.Usage = new TokenUsage(call.InputTokens(state), 0);
            note = "Gemini reports no embeddings usage: input tokens estimated locally (o200k)";
            OpenAIEmbeddingsWriter.Write(translated, vectors, step.UpstreamModel, call.Request.Base64, state.Usage.Value.InputTokens);
            body = translated.WrittenMemory;
            contentType = "application/json";
        }

        await PriceAsync(call, step, state);
        ServedHeaders.Commit(client, call.RequestId, step, state);
        if (state.CostUsd is { } cost)
        {
            ServedHeaders.SetCost(client, cost);
        }

        state.ClientStatus = status;
        await client.StartAsync(status, contentType, body.Length, token);
        FallbackEngine.Write(client, body.Span);
        await client.FlushAsync(token);
        return (StepResult.Served(status), note);
    }

    private static StepResult Broken(RouteStep step, int status, string what) =>
        StepResult.Failed(new FailureClassification(FailureClass.ServerError, $"{step.Provider.Id}: {what}"), status);

    /// <summary>Prices the call as the chat engine does; a budgeted client's paid spend is made durable first.</summary>
    private async ValueTask PriceAsync(EmbeddingsCall call, RouteStep step, RequestState state)
    {
        var cost = _costs.Cost(step, state.Usage);
        state.CallCostUsd = cost;
        state.CostUsd = cost;
        state.SavedUsd = _costs.Saving(call.Plan, step, state.Usage, cost);
        state.PricedCalls++;
        if (_journal is null || call.Budget is null || call.ClientId is not { } clientId || step.Key.Tier != KeyTier.Paid || cost is not > 0m)
        {
            return;
        }

        try
        {
            var journaled = new JournaledCall(
                call.RequestId, state.PricedCalls, clientId, _time.GetUtcNow(), cost.Value, step.Route, step.Key.Id,
                call.RequestedModel, EmbeddingsCall.ClientFormat, false);
            await _journal.RecordAsync(journaled, CancellationToken.None);
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or System.Data.Common.DbException)
        {
            Log.SpendNotJournaled(_logger, call.RequestId, ex.Message);
        }
    }

    /// <summary>No step served: one OpenAI-shaped error, decided as for chat (<see cref="ChainErrors"/>).</summary>
    private Task WriteFinalErrorAsync(
        EmbeddingsCall call, IClientResponse client, RequestState state, FailureClassification? stopper, CancellationToken aborted) =>
        ChainErrors.WriteFinalAsync(
            _admission, call.Plan, call.RequestId, call.RequestedModel, OpenAIClientFormat.Instance, client, state, stopper, _time.GetUtcNow(), aborted);

    private static partial class Log
    {
        [LoggerMessage(EventId = 400, Level = LogLevel.Warning, Message = "Paid spend of embeddings request {RequestId} not journaled: {Reason}")]
        public static partial void SpendNotJournaled(ILogger logger, string requestId, string reason);
    }
}
