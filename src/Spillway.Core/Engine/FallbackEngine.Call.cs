using System.Globalization;
using Spillway.Core.Buffers;
using Spillway.Core.Chat;
using Spillway.Core.Codecs;
using Spillway.Core.Configuration;
using Spillway.Core.Failures;
using Spillway.Core.Failures.Classification;
using Spillway.Core.Ledger;
using Spillway.Core.Providers;
using Spillway.Core.Providers.RateLimits;

namespace Spillway.Core.Engine;

public sealed partial class FallbackEngine
{
    /// <summary>One upstream call: send, classify a failure, or relay the answer (buffered or streamed).</summary>
    private async Task<StepResult> CallStepAsync(
        ChatCall call, RouteStep step, PreparedRequest prepared, IClientResponse client, RequestState state, CancellationToken aborted)
    {
        var protocol = prepared.Protocol;
        var started = _time.GetTimestamp();
        state.UpstreamCalls++;
        var timeouts = step.Provider.Timeouts ?? call.Timeouts;

        // One deadline for the whole call: first the time to headers and first event, then re-armed as the idle limit.
        using var deadline = new CancellationTokenSource(timeouts.FirstToken, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(aborted, deadline.Token);
        using var request = _upstream.CreatePost(step, protocol.ChatPath(step, call.Stream), prepared.Body);
        UpstreamClient.SetConnectTimeout(request, timeouts.Connect);
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
            response = await _upstream.SendAsync(request, linked.Token);
            LearnFromHeaders(step, response);
            if (!response.IsSuccessStatusCode)
            {
                result = await FailFromResponseAsync(step, response, linked.Token);
            }
            else if (call.Stream)
            {
                var relay = prepared.PassThrough
                    ? protocol.CreatePassThroughRelay(call.Inbound)
                    : new TranscodingRelay(protocol.CreateStreamDecoder(), call.Client.CreateStreamEncoder(call.Inbound));
                result = await RelayStreamAsync(call, step, protocol, relay, response, client, state, deadline, timeouts, aborted);
                note = TranslationNote(call, prepared, relay.DroppedHints);
            }
            else
            {
                deadline.CancelAfter(timeouts.IdleStream);
                (result, var responseDropped) = await RelayBufferedAsync(call, step, prepared, response, client, state, linked.Token);
                note = TranslationNote(call, prepared, responseDropped);
            }
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            result = StepResult.ClientGone((int?)response?.StatusCode);
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

        RecordAttempt(step, state, result, _time.GetElapsedTime(started).TotalMilliseconds, note);
        SettleQuota(step, state, result);
        SettleBudget(state, result);
        NoteHealth(call, step, state, result, started);
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
    private async Task<(StepResult Result, IReadOnlyList<string> Dropped)> RelayBufferedAsync(
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

        if (!JsonCompleteness.IsComplete(answer.WrittenSpan))
        {
            var cut = new FailureClassification(FailureClass.ServerError, $"{step.Provider.Id}: the response body is not complete JSON");
            return (StepResult.Failed(cut, status), []);
        }

        ReadOnlyMemory<byte> body;
        IReadOnlyList<string> dropped = [];
        string contentType;
        if (prepared.PassThrough)
        {
            state.Usage = prepared.Protocol.ReadUsage(answer.WrittenMemory);
            body = answer.WrittenMemory;
            contentType = response.Content.Headers.ContentType?.ToString() ?? "application/json";
        }
        else
        {
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

        PriceCall(call, step, state);
        Commit(call, step, client, state);
        if (state.CostUsd is { } cost)
        {
            client.SetHeader(SpillwayHeaders.CostUsd, cost.ToString("0.##########", CultureInfo.InvariantCulture));
        }

        state.ClientStatus = status;
        await client.StartAsync(status, contentType, token);
        Write(client, body.Span);
        await client.FlushAsync(token);
        return (StepResult.Served(status), dropped);
    }

    /// <summary>The commit point: the route is decided; the x-spillway-* headers are set before the first byte.</summary>
    private static void Commit(ChatCall call, RouteStep step, IClientResponse client, RequestState state)
    {
        state.ServedRoute = step.Route;
        client.SetHeader(SpillwayHeaders.RequestId, call.RequestId);
        client.SetHeader(SpillwayHeaders.Route, step.Route);
        client.SetHeader(SpillwayHeaders.Attempts, state.UpstreamCalls.ToString(CultureInfo.InvariantCulture));
        if (step.Provider.Simulated)
        {
            client.SetHeader(SpillwayHeaders.Demo, "simulated provider, not a real model");
        }
    }

    /// <summary>Every answer, success or failure, tells how much the key has left; a key at zero cools until its reset.</summary>
    private void LearnFromHeaders(RouteStep step, HttpResponseMessage response)
    {
        var rules = step.Provider.RateLimits;
        if (rules.Scheme == RateLimitScheme.None || !response.IsSuccessStatusCode)
        {
            // Failures are classified from the whole answer instead, which also reads these headers.
            return;
        }

        var now = _time.GetUtcNow();
        var snapshot = RateLimitHeaderReader.Read(rules, new UpstreamHeaders(response), now);
        if (ObserveQuota(step, snapshot, now))
        {
            return;
        }

        if (snapshot.RequestsRemaining == 0 && snapshot.RequestsResetAt is { } requestsReset && requestsReset > now)
        {
            var exhausted = snapshot.RequestWindow == RateLimitWindow.Day ? FailureClass.QuotaExhausted : FailureClass.RateLimited;
            Cool(step, new FailureClassification(exhausted, $"{step.Provider.Id}: no requests left in the window", requestsReset), now);
        }
        else if (snapshot.TokensRemaining == 0 && snapshot.TokensResetAt is { } tokensReset && tokensReset > now)
        {
            var exhausted = snapshot.TokenWindow == RateLimitWindow.Day ? FailureClass.QuotaExhausted : FailureClass.RateLimited;
            Cool(step, new FailureClassification(exhausted, $"{step.Provider.Id}: no tokens left in the window", tokensReset), now);
        }
    }

    private static void RecordAttempt(RouteStep step, RequestState state, StepResult result, double latencyMs, string? note)
    {
        var outcome = result.End switch
        {
            StepEnd.Served => Outcomes.Ok,
            StepEnd.ClientGone => "client_closed",
            _ => Outcomes.Of(result.Failure!.Class),
        };
        state.Attempts.Add(new AttemptRecord(step.Route, step.Key.Id, result.Status, outcome, latencyMs, result.Failure?.Reason ?? note));
    }

    private static void Write(IClientResponse client, ReadOnlySpan<byte> bytes)
    {
        var span = client.Body.GetSpan(bytes.Length);
        bytes.CopyTo(span);
        client.Body.Advance(bytes.Length);
    }

    /// <summary>Reads a body into <paramref name="output"/> up to <paramref name="limit"/> bytes.
    /// Returns false when the body was longer (the rest is dropped when <paramref name="truncate"/>).</summary>
    private static async Task<bool> ReadBoundedAsync(
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
