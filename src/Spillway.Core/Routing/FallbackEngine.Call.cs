using System.Globalization;
using Spillway.Core.Buffers;
using Spillway.Core.Codecs;
using Spillway.Core.Configuration;
using Spillway.Core.Ledger;
using Spillway.Core.Providers.RateLimits;
using Spillway.Core.Routing.Classification;

namespace Spillway.Core.Routing;

public sealed partial class FallbackEngine
{
    /// <summary>One upstream call: send, classify a failure, or relay the answer (buffered or streamed).</summary>
    private async Task<StepResult> CallStepAsync(
        ChatCall call, RouteStep step, IClientResponse client, RequestState state, CancellationToken aborted)
    {
        if (!_protocols.TryGetValue(step.Provider.Format, out var protocol))
        {
            var detail = $"{step.Provider.Format} upstreams are not served on this endpoint yet";
            state.Attempts.Add(new AttemptRecord(step.Route, step.Key.Id, null, Outcomes.SkippedCapability, 0, detail));
            return StepResult.Failed(new FailureClassification(FailureClass.ModelUnavailable, detail), null);
        }

        var started = _time.GetTimestamp();
        state.UpstreamCalls++;
        var timeouts = step.Provider.Timeouts ?? call.Timeouts;

        // One deadline for the whole call: first the time to headers and first event, then re-armed as the idle limit.
        using var deadline = new CancellationTokenSource(timeouts.FirstToken, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(aborted, deadline.Token);
        using var body = new PooledBufferWriter(call.Body.Length + 256);
        protocol.WriteRequestBody(call, step, body);
        using var request = _upstream.CreatePost(step, protocol.ChatPath(call, step), body.WrittenMemory);

        StepResult result;
        HttpResponseMessage? response = null;
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
                result = await RelayStreamAsync(call, step, protocol, response, client, state, deadline, timeouts, aborted);
            }
            else
            {
                deadline.CancelAfter(timeouts.IdleStream);
                result = await RelayBufferedAsync(call, step, protocol, response, client, state, linked.Token);
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

        RecordAttempt(step, state, result, _time.GetElapsedTime(started).TotalMilliseconds);
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
        return StepResult.Failed(failure, status);
    }

    /// <summary>A non-streamed answer is read whole (its cost header must precede the body), then relayed.</summary>
    private async Task<StepResult> RelayBufferedAsync(
        ChatCall call,
        RouteStep step,
        IUpstreamProtocol protocol,
        HttpResponseMessage response,
        IClientResponse client,
        RequestState state,
        CancellationToken token)
    {
        using var answer = new PooledBufferWriter(16 * 1024);
        if (!await ReadBoundedAsync(response.Content, answer, _options.MaxResponseBytes, truncate: false, token))
        {
            var tooBig = new FailureClassification(
                FailureClass.ServerError, $"{step.Provider.Id}: response larger than {_options.MaxResponseBytes} bytes");
            return StepResult.Failed(tooBig, (int)response.StatusCode);
        }

        if (!JsonCompleteness.IsComplete(answer.WrittenSpan))
        {
            var cut = new FailureClassification(FailureClass.ServerError, $"{step.Provider.Id}: the response body is not complete JSON");
            return StepResult.Failed(cut, (int)response.StatusCode);
        }

        state.Usage = protocol.ReadUsage(answer.WrittenSpan);
        state.CostUsd = _prices.Cost(step.Route, step.Key.Tier, state.Usage);
        Commit(call, step, client, state);
        if (state.CostUsd is { } cost)
        {
            client.SetHeader(SpillwayHeaders.CostUsd, cost.ToString("0.##########", CultureInfo.InvariantCulture));
        }

        var contentType = response.Content.Headers.ContentType?.ToString() ?? "application/json";
        state.ClientStatus = (int)response.StatusCode;
        await client.StartAsync(state.ClientStatus, contentType, token);
        Write(client, answer.WrittenSpan);
        await client.FlushAsync(token);
        return StepResult.Served(state.ClientStatus);
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

    private static void RecordAttempt(RouteStep step, RequestState state, StepResult result, double latencyMs)
    {
        var outcome = result.End switch
        {
            StepEnd.Served => Outcomes.Ok,
            StepEnd.ClientGone => "client_closed",
            _ => Outcomes.Of(result.Failure!.Class),
        };
        state.Attempts.Add(new AttemptRecord(step.Route, step.Key.Id, result.Status, outcome, latencyMs, result.Failure?.Reason));
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
