using Microsoft.AspNetCore.Http.Features;

namespace Spillway.Simulator;

/// <summary>
/// Sends a streamed answer as Server-Sent Events, one flushed frame at a time with
/// <see cref="SimulatedProvider.StreamEventDelay"/> between frames, and applies the stream faults. The frames
/// come ready-made in an <see cref="SsePlan"/>, so the same pacing and fault rules serve every wire format.
/// </summary>
internal static class StreamResponder
{
    public static async Task WriteAsync(
        HttpContext context,
        SsePlan plan,
        IReadOnlyList<KeyValuePair<string, string>> headers,
        SimulatedFault? fault,
        TimeSpan eventDelay,
        SimulatorRuntime runtime)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, runtime.Stopping);
        var cancellationToken = linked.Token;
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        foreach (var (name, value) in headers)
        {
            response.Headers[name] = value;
        }

        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        var kind = fault?.Kind;
        var keepAlive = kind == SimulatedFaultKind.KeepAliveComments ? plan.KeepAlive : null;
        try
        {
            await response.StartAsync(cancellationToken);
            if (keepAlive is not null)
            {
                await WriteFlushedAsync(response, keepAlive, cancellationToken);
            }

            var contentSent = 0;
            var first = true;
            foreach (var frame in plan.Frames)
            {
                if (!first && eventDelay > TimeSpan.Zero)
                {
                    await Task.Delay(eventDelay, runtime.Time, cancellationToken);
                }

                // The failure comes after N content frames, or before the finish when there are fewer.
                if (kind == SimulatedFaultKind.FailMidStream
                    && frame.Kind != StreamEventKind.Role
                    && (contentSent == fault!.EventsBeforeFailure || frame.Kind != StreamEventKind.Content))
                {
                    await FailAsync(context, plan, fault.MidStreamFailure, cancellationToken);
                    return;
                }

                await WriteFlushedAsync(response, frame.Bytes, cancellationToken);
                if (frame.Kind == StreamEventKind.Content)
                {
                    contentSent++;
                }

                if (first && kind == SimulatedFaultKind.MalformedEvent)
                {
                    await WriteFlushedAsync(response, plan.Malformed, cancellationToken);
                }

                first = false;
                if (keepAlive is not null)
                {
                    await WriteFlushedAsync(response, keepAlive, cancellationToken);
                }
            }

            if (plan.Terminal is not null && kind != SimulatedFaultKind.StreamWithoutDone)
            {
                await WriteFlushedAsync(response, plan.Terminal, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away or the simulator is stopping: end the stream abruptly, as a server would.
            context.Abort();
        }
    }

    private static async Task FailAsync(HttpContext context, SsePlan plan, MidStreamFailure failure, CancellationToken cancellationToken)
    {
        if (failure == MidStreamFailure.Stall)
        {
            // Ended only by the client giving up (or the simulator stopping): the caller aborts the connection then.
            await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
        }

        if (failure == MidStreamFailure.ErrorChunk && plan.ErrorFrame is not null)
        {
            // Status 200 is on the wire already, so the error travels in a frame; then the stream just ends.
            await WriteFlushedAsync(context.Response, plan.ErrorFrame, cancellationToken);
            return;
        }

        await TransportSettle.AbortAsync(context);
    }

    private static async Task WriteFlushedAsync(HttpResponse response, byte[] bytes, CancellationToken cancellationToken)
    {
        await response.Body.WriteAsync(bytes, cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }
}
