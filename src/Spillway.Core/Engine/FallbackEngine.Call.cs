using System.Diagnostics;
using System.Runtime.CompilerServices;
using Spillway.Core.Budgets;
using Spillway.Core.Buffers;
using Spillway.Core.Chat;
using Spillway.Core.Codecs;
using Spillway.Core.Failures;
using Spillway.Core.Failures.Classification;
using Spillway.Core.Ledger;
using Spillway.Core.Providers;
using Spillway.Core.Providers.RateLimits;
using Spillway.Core.Telemetry;

namespace Spillway.Core.Engine;

public sealed partial class FallbackEngine
{
    /// <summary>One upstream call: send, classify a failure, or relay the answer (buffered or streamed); then
    /// record it and settle its <paramref name="lease"/>.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<StepResult> CallStepAsync(
        ChatCall call,
        RouteStep step,
        PreparedRequest prepared,
        AdmissionLease lease,
        IClientResponse client,
        RequestState state,
        CancellationToken aborted,
        ContinuationPlan? continuation = null)
    {
        var protocol = prepared.Protocol;
        var started = _time.GetTimestamp();
        state.BeginCall(step.Route);

        // The call's span is current while it is sent, so its traceparent header names it.
        using var span = GatewaySpans.StartAttempt(GenAiAttributes.Chat, step);

        var timeouts = step.Provider.Timeouts ?? call.Timeouts;

        // One deadline for the whole call: first the time to headers and first event, then re-armed as the idle limit.
        using var deadline = new CancellationTokenSource(timeouts.FirstToken, _time);
        using var linked = _shutdown.CanBeCanceled
            ? CancellationTokenSource.CreateLinkedTokenSource(aborted, deadline.Token, _shutdown)
            : CancellationTokenSource.CreateLinkedTokenSource(aborted, deadline.Token);
        using var request = _upstream.CreatePost(step, protocol.ChatPath(step, call.Stream), prepared.Body);
        _upstream.SetConnectTimeout(request, timeouts.Connect);
        protocol.AddHeaders(request, call.Inbound, step, prepared.PassThrough);
        foreach (var header in prepared.Headers)
        {
            request.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        StepResult result;
        HttpResponseMessage? response = null;
        string? note = null;
        try
        {
            // :: Step 5: send
            response = await _upstream.SendAsync(request, linked.Token);
            _admission.LearnFromHeaders(step, response);
            if (!response.IsSuccessStatusCode)
            {
                // :: Step 6: decide (a failed status is classified; the walk decides what follows)
                result = await FailFromResponseAsync(step, response, linked.Token);
            }
            else if (call.Stream)
            {
                // :: Step 7: commit and stream
                IStreamRelay relay = continuation is not null
                    ? continuation.CreateRelay(protocol.CreateStreamDecoder(), state.Transcript!)
                    : prepared.PassThrough
                        ? protocol.CreatePassThroughRelay(call.Inbound)
                        : new TranscodingRelay(protocol.CreateStreamDecoder(), call.Client.CreateStreamEncoder(call.Inbound));
                state.StreamEncoder = relay.Encoder;
                result = await RelayStreamAsync(call, step, protocol, relay, response, client, state, deadline, timeouts, linked.Token, aborted);
                note = continuation is null
                    ? TranslationNote(call, prepared, relay.DroppedHints)
                    : continuation.Note(step, relay.DroppedHints);
            }
            else
            {
                // :: Step 7: commit and stream (a buffered answer commits once it is read whole)
                deadline.CancelAfter(timeouts.IdleStream);
                (result, var responseDropped) = await RelayBufferedAsync(call, step, prepared, response, client, state, linked.Token);
                note = TranslationNote(call, prepared, responseDropped);
            }
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            result = StepResult.ClientGone((int?)response?.StatusCode);
        }
        catch (OperationCanceledException) when (_shutdown.IsCancellationRequested)
        {
            result = StepResult.Failed(ShutdownFailure, (int?)response?.StatusCode);
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

        // :: Step 8: account
        RecordAttempt(step, state, result, _time.GetElapsedTime(started).TotalMilliseconds, note);
        GatewaySpans.EndAttempt(span, state.Attempts[^1], state.Usage, state.CallCostUsd, state.FinishReason, state.ResponseModel);
        lease.Settle(result, started);
        return result;
    }

    private async Task<StepResult> FailFromResponseAsync(RouteStep step, HttpResponseMessage response, CancellationToken token)
    {
        var status = (int)response.StatusCode;
        using var errorBody = new PooledBufferWriter(4096);
        await ReadBoundedAsync(response.Content, errorBody, _options.MaxErrorBodyBytes, truncate: true, token);
        var failure = UpstreamFailureClassifier.Classify(
            step.Provider.Id,
            step.Provider.RateLimits,
            status,
            new UpstreamHeaders(response),
            errorBody.WrittenSpan,
            _time.GetUtcNow());
        return StepResult.Failed(Scrubbed(failure, step), status);
    }

    /// <summary>
    /// A non-streamed answer is read whole (its cost header must precede the body), then relayed as it is, or
    /// decoded and encoded in the client's format.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<(StepResult Result, IReadOnlyList<string> Dropped)> RelayBufferedAsync(
        ChatCall call,
        RouteStep step,
        PreparedRequest prepared,
        HttpResponseMessage response,
        IClientResponse client,
        RequestState state,
        CancellationToken token)
    {
        using var answer = new PooledBufferWriter(16 * 1024);
        var status = (int)response.StatusCode;
        if (!await ReadBoundedAsync(response.Content, answer, _options.MaxResponseBytes, truncate: false, token))
        {
            var tooBig = new FailureClassification(
                FailureClass.ServerError, $"{step.Provider.Id}: response larger than {_options.MaxResponseBytes} bytes");
            return (StepResult.Failed(tooBig, status), []);
        }

        ReadOnlyMemory<byte> body;
        IReadOnlyList<string> dropped = [];
        string contentType;
        if (prepared.PassThrough)
        {
            // One pass checks the answer is whole and reads its usage.
            if (!prepared.Protocol.TryReadAnswer(answer.WrittenMemory, out var usage))
            {
                return (NotComplete(step, status), []);
            }

            state.Usage = usage;
            body = answer.WrittenMemory;
            contentType = response.Content.Headers.ContentType?.ToString() ?? "application/json";
        }
        else
        {
            if (!JsonCompleteness.IsComplete(answer.WrittenSpan))
            {
                return (NotComplete(step, status), []);
            }

            var decoded = prepared.Protocol.DecodeResponse(answer.WrittenMemory);
            if (decoded.Error is { } error)
            {
                // A 200 whose body is an error (Gemini does this) or no answer at all: classified like a failed status.
                var errorStatus = error.Status is >= 400 and < 600 ? error.Status : 502;
                var failure = UpstreamFailureClassifier.Classify(
                    step.Provider.Id, step.Provider.RateLimits, errorStatus, new UpstreamHeaders(response), answer.WrittenSpan, _time.GetUtcNow());
                return (StepResult.Failed(Scrubbed(failure, step), status), []);
            }

            state.Usage = decoded.Value.Usage;
            state.FinishReason = FinishReasonNames.Of(decoded.Value.Finish);
            state.ResponseModel = decoded.Value.Model;
            var encoded = call.Client.EncodeResponse(decoded.Value, call.Inbound);
            if (encoded.Error is { } untranslatable)
            {
                var failure = new FailureClassification(
                    FailureClass.ServerError, $"{step.Provider.Id}: the answer cannot be translated: {untranslatable.Message}");
                return (StepResult.Failed(failure, status), []);
            }

            body = encoded.Value.Body;
            dropped = encoded.Value.DroppedHints;
            contentType = "application/json";
        }

        await PriceCallAsync(call, step, state);
        Commit(call, step, client, state);
        if (state.CostUsd is { } cost)
        {
            ServedHeaders.SetCost(client, cost);
        }

        state.ClientStatus = status;
        await client.StartAsync(status, contentType, body.Length, token);
        if (_options.CaptureContent)
        {
            GatewaySpans.SetContent(Activity.Current, GenAiAttributes.OutputMessages, body.Span);
        }

        Write(client, body.Span);
        await client.FlushAsync(token);
        return (StepResult.Served(status), dropped);
    }

    /// <summary>A 2xx whose body is not one whole JSON value: the connection was cut mid-answer.</summary>
    private static StepResult NotComplete(RouteStep step, int status) =>
        StepResult.Failed(new FailureClassification(FailureClass.ServerError, $"{step.Provider.Id}: the response body is not complete JSON"), status);

    /// <summary>
    /// Prices a call the provider billed, before its answer completes: its cost and, when it was free, what it saved,
    /// added to the request's (a continued stream is several calls). A budgeted client's paid spend is then made
    /// durable (<see cref="ISpendJournal"/>), so a crash right after cannot hand the money out again; a failing journal
    /// is logged, never the client's failure. Calls that failed before an answer are never priced.
    /// </summary>
    private async ValueTask PriceCallAsync(ChatCall call, RouteStep step, RequestState state)
    {
        var cost = _costs.Cost(step, state.Usage);
        var saved = _costs.Saving(call.Plan, step, state.Usage, cost);
        state.CallCostUsd = cost;
        var first = state.PricedCalls++ == 0;
        state.CostUsd = first ? cost : state.CostUsd + cost;
        state.SavedUsd = first || state.SavedUsd is null ? saved : state.SavedUsd + (saved ?? 0);
        if (_journal is null || call.Budget is null || call.ClientId is not { } client || step.Key.Tier != KeyTier.Paid ||
            cost is not > 0m)
        {
            return;
        }

        try
        {
            var journaled = new JournaledCall(
                call.RequestId, state.PricedCalls, client, _time.GetUtcNow(), cost.Value, step.Route, step.Key.Id,
                call.RequestedModel, call.Client.Name, call.Stream);
            await _journal.RecordAsync(journaled, CancellationToken.None);
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or System.Data.Common.DbException)
        {
            Log.SpendNotJournaled(_logger, call.RequestId, ex.Message);
        }
    }

    /// <summary>
    /// The failure with the step's own key masked in its reason. Reasons already lose anything shaped like a key
    /// (<see cref="KeyScrubber"/>); an upstream that echoes the key it was sent ("Incorrect API key provided: …")
    /// may echo one of no known shape, and the reason goes to the client, the ledger, the admin API and the logs.
    /// </summary>
    internal static FailureClassification Scrubbed(FailureClassification failure, RouteStep step)
    {
        var reason = KeyScrubber.Scrub(failure.Reason, step.Key.Value);
        return ReferenceEquals(reason, failure.Reason) ? failure : failure with { Reason = reason };
    }

    /// <summary>The commit point: the route is decided; the x-spillway-* headers are set before the first byte.</summary>
    private static void Commit(ChatCall call, RouteStep step, IClientResponse client, RequestState state) =>
        ServedHeaders.Commit(client, call.RequestId, step, state);

    internal static void RecordAttempt(RouteStep step, RequestState state, StepResult result, double latencyMs, string? note)
    {
        var outcome = result.Outcome ?? result.End switch
        {
            StepEnd.Served => Outcomes.Ok,
            StepEnd.ClientGone => "client_closed",
            _ => Outcomes.Of(result.Failure!.Class),
        };
        state.Attempts.Add(new AttemptRecord(step.Route, step.Key.Id, result.Status, outcome, latencyMs, result.Failure?.Reason ?? note));
    }

    internal static void Write(IClientResponse client, ReadOnlySpan<byte> bytes)
    {
        var span = client.Body.GetSpan(bytes.Length);
        bytes.CopyTo(span);
        client.Body.Advance(bytes.Length);
    }

    /// <summary>Reads a body into <paramref name="output"/> up to <paramref name="limit"/> bytes.
    /// Returns false when the body was longer (the rest is dropped when <paramref name="truncate"/>).</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    internal static async ValueTask<bool> ReadBoundedAsync(
        HttpContent content, PooledBufferWriter output, int limit, bool truncate, CancellationToken token)
    {
        await using var stream = await content.ReadAsStreamAsync(token);
        while (true)
        {
            var memory = output.GetMemory(8192);
            var read = await stream.ReadAsync(memory, token);
            if (read == 0)
            {
                return true;
            }

            var room = limit - output.WrittenCount;
            if (read > room)
            {
                output.Advance(Math.Max(room, 0));
                return truncate;
            }

            output.Advance(read);
        }
    }
}
