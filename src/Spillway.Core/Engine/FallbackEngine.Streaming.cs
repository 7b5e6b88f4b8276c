using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Spillway.Core.Buffers;
using Spillway.Core.Chat;
using Spillway.Core.Codecs;
using Spillway.Core.Failures;
using Spillway.Core.Ledger;
using Spillway.Core.Providers;
using Spillway.Core.Streaming;

namespace Spillway.Core.Engine;

public sealed partial class FallbackEngine
{
    /// <summary>
    /// Relays an event stream as it arrives. Events before the first content-bearing one are held back (a keep-alive
    /// or an empty role chunk is not a commitment): a failure until then may still fall back. After the commit a
    /// failure ends the call as <see cref="StepEnd.Broken"/> when the answer may be continued
    /// (<see cref="RequestState.Transcript"/>): the walk goes on with it from another route. Otherwise the client's
    /// stream ends here with an in-band error event (<see cref="StepEnd.FailedAfterCommit"/>). A stream that stops before its finish is never passed off as complete.
    /// A continuation call (<see cref="ContinuationRelay"/>) writes into the client's stream already begun: its
    /// commit sends no headers again.
    /// </summary>
    /// <param name="token">The call's token: <paramref name="aborted"/> or the <paramref name="deadline"/>.</param>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<StepResult> RelayStreamAsync(
        ChatCall call,
        RouteStep step,
        IUpstreamProtocol protocol,
        IStreamRelay relay,
        HttpResponseMessage response,
        IClientResponse client,
        RequestState state,
        CancellationTokenSource deadline,
        TimeoutsConfig timeouts,
        CancellationToken token,
        CancellationToken aborted)
    {
        var status = (int)response.StatusCode;
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        if (!string.Equals(mediaType, "text/event-stream", StringComparison.OrdinalIgnoreCase))
        {
            var notAStream = new FailureClassification(
                FailureClass.ServerError, $"{step.Provider.Id}: answered a stream request with '{mediaType}', not an event stream");
            return StepResult.Failed(notAStream, status);
        }

        await using var upstream = await response.Content.ReadAsStreamAsync(token);
        await using var reader = new SseReader(upstream, _options.MaxStreamEventBytes);
        var resumed = relay is ContinuationRelay;
        var transcript = state.Transcript;
        var textBefore = transcript?.TextLength ?? 0;

        // What the client is owed before the commit point, already in its format; sent at the commit.
        PooledBufferWriter? held = null;
        var committed = false;
        try
        {
            var finished = false;
            // The deadline runs first for the first event, then, re-armed at each event, for the silence between.
            var limit = timeouts.FirstToken;
            while (true)
            {
                FailureClassification? broken = null;
                bool more;
                try
                {
                    more = await reader.ReadNextAsync(token);
                }
                catch (OperationCanceledException) when (!aborted.IsCancellationRequested && _shutdown.IsCancellationRequested)
                {
                    // The gateway is stopping: never continued elsewhere, the client learns why in its stream.
                    return committed
                        ? await EndStreamWithErrorAsync(call, client, state, ShutdownFailure, status, aborted)
                        : StepResult.Failed(ShutdownFailure, status);
                }
                catch (OperationCanceledException) when (!aborted.IsCancellationRequested)
                {
                    broken = new FailureClassification(FailureClass.Timeout, $"{step.Provider.Id}: no event within {limit.TotalSeconds:0.###} s");
                    more = false;
                }
                catch (Exception ex) when (ex is IOException or HttpRequestException or SseFormatException)
                {
                    var why = ex is SseFormatException ? ex.Message : ex.GetType().Name;
                    broken = new FailureClassification(FailureClass.ConnectionFailed, $"{step.Provider.Id}: the stream broke ({why})");
                    more = false;
                }

                if (broken is null && !more && !finished)
                {
                    broken = new FailureClassification(FailureClass.ServerError, $"{step.Provider.Id}: the stream ended before it finished");
                }

                if (broken is not null)
                {
                    return committed ? await BreakAsync(call, step, relay, client, state, broken, status, textBefore, aborted) : StepResult.Failed(broken, status);
                }

                if (!more)
                {
                    break;
                }

                deadline.CancelAfter(timeouts.IdleStream);
                limit = timeouts.IdleStream;
                var data = reader.Data;
                var evt = relay.Inspect(reader.EventName, data);
                if (evt.IsDone)
                {
                    finished = true;
                    break;
                }

                if (evt.IsMalformed)
                {
                    // A broken event is dropped rather than passed on: clients' parsers would choke on it. Once the
                    // client has part of an answer that can be continued, its content may be in it: the call broke.
                    Log.MalformedEvent(_logger, step.Route);
                    if (committed && transcript is not null)
                    {
                        var malformed = new FailureClassification(FailureClass.ServerError, $"{step.Provider.Id}: the stream sent a malformed event");
                        return await BreakAsync(call, step, relay, client, state, malformed, status, textBefore, aborted);
                    }

                    continue;
                }

                if (evt.IsError)
                {
                    var failure = Scrubbed(protocol.ClassifyStreamError(step, data.Span, _time.GetUtcNow()), step);
                    return committed ? await BreakAsync(call, step, relay, client, state, failure, status, textBefore, aborted) : StepResult.Failed(failure, status);
                }

                if (evt.Mismatch is { } mismatch)
                {
                    // Only a regenerated continuation, before it wrote anything: the provider still counted the call.
                    await PriceCallAsync(call, step, state);
                    return StepResult.Broken(new FailureClassification(FailureClass.CallerFault, mismatch), status) with
                    {
                        Outcome = Outcomes.ContinuationMismatch,
                    };
                }

                if (evt.Usage is { } usage)
                {
                    state.Usage = usage;
                }

                finished |= evt.HasFinish;
                state.FinishReason = evt.FinishReason ?? state.FinishReason;
                if (!committed)
                {
                    if (!evt.IsContentBearing && !evt.IsUsageOnly)
                    {
                        Record(relay, transcript);
                        relay.Write(held ??= new PooledBufferWriter(1024));
                        continue;
                    }

                    committed = true;
                    await CommitStreamAsync(call, step, client, state, held, resumed, aborted);
                }

                Record(relay, transcript);
                relay.Write(client.Body);
                await client.FlushAsync(aborted);
            }

            if (!committed)
            {
                committed = true;
                await CommitStreamAsync(call, step, client, state, held, resumed, aborted);
            }

            await PriceCallAsync(call, step, state);
            relay.Complete(client.Body);

            // The closing event is the whole answer handed over: a client that hangs up the moment it reads it (Codex
            // does, on response.completed) ends this flush, and must not turn a served answer into a 499.
            await client.FlushAsync(CancellationToken.None);
            return StepResult.Served(status);
        }
        finally
        {
            held?.Dispose();
            if (!committed && !resumed && state.Transcript is { } unused)
            {
                // Nothing reached the client from this call: the next step starts a stream of its own.
                unused.Dispose();
                state.Transcript = null;
            }
        }
    }

    private static void Record(IStreamRelay relay, StreamTranscript? transcript)
    {
        if (transcript is not null)
        {
            relay.Record(transcript);
        }
    }

    private async Task CommitStreamAsync(
        ChatCall call, RouteStep step, IClientResponse client, RequestState state, PooledBufferWriter? held, bool resumed, CancellationToken aborted)
    {
        if (resumed)
        {
            // The client's stream is under way: its headers and opening went out with the first route.
            state.ServedRoute = step.Route;
        }
        else
        {
            Commit(call, step, client, state);
            state.ClientStatus = 200;
            await client.StartAsync(200, "text/event-stream", contentLength: null, aborted);
            state.TtftMs = _time.GetElapsedTime(call.ReceivedTimestamp).TotalMilliseconds;
        }

        if (held is null)
        {
            return;
        }

        Write(client, held.WrittenSpan);
    }

    /// <summary>
    /// The call broke after the client had part of its answer. It is priced on what it reported, with what it did not
    /// report estimated from what it sent (providers bill a broken stream's output). When the answer may be continued
    /// the walk goes on with it; otherwise the client's stream ends here with the in-band error.
    /// </summary>
    private async Task<StepResult> BreakAsync(
        ChatCall call, RouteStep step, IStreamRelay relay, IClientResponse client, RequestState state, FailureClassification failure, int status, int textBefore, CancellationToken aborted)
    {
        if (state.Transcript is not { } transcript)
        {
            await PriceCallAsync(call, step, state);
            return await EndStreamWithErrorAsync(call, client, state, failure, status, aborted);
        }

        transcript.Settle();
        transcript.Encoder ??= relay.Encoder;
        state.Usage = AdmissionEstimate.BrokenCall(call, state, state.Usage, transcript.Text.AsSpan(textBefore));
        await PriceCallAsync(call, step, state);
        return StepResult.Broken(failure, status);
    }

    private async Task<StepResult> EndStreamWithErrorAsync(
        ChatCall call, IClientResponse client, RequestState state, FailureClassification failure, int status, CancellationToken aborted)
    {
        var message = failure.Class == FailureClass.Shutdown
            ? "The gateway is shutting down; the answer above is incomplete. Retry on another instance."
            : "The upstream stream failed after it had started; the answer above is incomplete. " + failure.Reason;
        state.Error = message;
        var error = new ChatError(502, ChatErrorKind.UpstreamFailed, message) { Code = Outcomes.Of(failure.Class) };
        if (state.StreamEncoder is { } encoder)
        {
            encoder.Write(new StreamErrorEvent(error), client.Body);
        }
        else
        {
            call.Client.WriteStreamError(client.Body, error);
        }

        await client.FlushAsync(aborted);
        return StepResult.FailedAfterCommit(failure, status);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 101, Level = LogLevel.Warning, Message = "Dropped a malformed event from {Route}")]
        public static partial void MalformedEvent(ILogger logger, string route);

        [LoggerMessage(EventId = 102, Level = LogLevel.Error, Message = "Request {RequestId}: its paid spend could not be made durable ({Reason}); a crash before the ledger catches up would refill the budget")]
        public static partial void SpendNotJournaled(ILogger logger, string requestId, string reason);
    }
}
