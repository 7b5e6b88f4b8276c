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
    /// failure ends the client's stream with an in-band error event, and a stream that stops before its finish is
    /// never passed off as complete.
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
        // What the client is owed before the commit point, already in its format; sent at the commit.
        PooledBufferWriter? held = null;
        try
        {
            var committed = false;
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
                    return committed ? await EndStreamWithErrorAsync(call, client, state, broken, status, aborted) : StepResult.Failed(broken, status);
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
                    // A broken event is dropped rather than passed on: clients' parsers would choke on it.
                    Log.MalformedEvent(_logger, step.Route);
                    continue;
                }

                if (evt.IsError)
                {
                    var failure = Scrubbed(protocol.ClassifyStreamError(step, data.Span, _time.GetUtcNow()), step);
                    return committed ? await EndStreamWithErrorAsync(call, client, state, failure, status, aborted) : StepResult.Failed(failure, status);
                }

                if (evt.Usage is { } usage)
                {
                    state.Usage = usage;
                }

                finished |= evt.HasFinish;
                if (!committed)
                {
                    if (!evt.IsContentBearing && !evt.IsUsageOnly)
                    {
                        relay.Write(held ??= new PooledBufferWriter(1024));
                        continue;
                    }

                    committed = true;
                    await CommitStreamAsync(call, step, client, state, held, aborted);
                }

                relay.Write(client.Body);
                await client.FlushAsync(aborted);
            }

            if (!committed)
            {
                await CommitStreamAsync(call, step, client, state, held, aborted);
            }

            PriceCall(call, step, state);
            relay.Complete(client.Body);
            await client.FlushAsync(aborted);
            return StepResult.Served(status);
        }
        finally
        {
            held?.Dispose();
        }
    }

    private async Task CommitStreamAsync(
        ChatCall call, RouteStep step, IClientResponse client, RequestState state, PooledBufferWriter? held, CancellationToken aborted)
    {
        Commit(call, step, client, state);
        state.ClientStatus = 200;
        await client.StartAsync(200, "text/event-stream", aborted);
        state.TtftMs = _time.GetElapsedTime(call.ReceivedTimestamp).TotalMilliseconds;
        if (held is null)
        {
            return;
        }

        Write(client, held.WrittenSpan);
    }

    private async Task<StepResult> EndStreamWithErrorAsync(
        ChatCall call, IClientResponse client, RequestState state, FailureClassification failure, int status, CancellationToken aborted)
    {
        var message = "The upstream stream failed after it had started; the answer above is incomplete. " + failure.Reason;
        state.Error = message;
        call.Client.WriteStreamError(client.Body, new ChatError(502, ChatErrorKind.UpstreamFailed, message) { Code = Outcomes.Of(failure.Class) });
        await client.FlushAsync(aborted);
        return StepResult.FailedAfterCommit(failure, status);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 101, Level = LogLevel.Warning, Message = "Dropped a malformed event from {Route}")]
        public static partial void MalformedEvent(ILogger logger, string route);
    }
}
