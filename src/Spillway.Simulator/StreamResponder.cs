using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Spillway.Simulator;

/// <summary>
/// Sends a streamed answer as Server-Sent Events, one flushed <c>data:</c> event at a time with
/// <see cref="SimulatedProvider.StreamEventDelay"/> between events, and applies the stream faults.
/// </summary>
internal static class StreamResponder
{
    private static readonly byte[] DataPrefix = "data: "u8.ToArray();
    private static readonly byte[] EventEnd = "\n\n"u8.ToArray();
    private static readonly byte[] Done = "data: [DONE]\n\n"u8.ToArray();

    // OpenRouter's keep-alive comment (fixtures/openrouter-error-samples.json); SSE clients must skip it.
    private static readonly byte[] KeepAlive = Encoding.ASCII.GetBytes(": OPENROUTER PROCESSING\n\n");

    public static async Task WriteAsync(
        HttpContext context,
        ChatReply reply,
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
        try
        {
            await response.StartAsync(cancellationToken);
            if (kind == SimulatedFaultKind.KeepAliveComments)
            {
                await WriteFlushedAsync(response, cancellationToken, KeepAlive);
            }

            var contentSent = 0;
            var first = true;
            foreach (var streamEvent in ChatStreamWriter.BuildEvents(reply))
            {
                if (!first && eventDelay > TimeSpan.Zero)
                {
                    await Task.Delay(eventDelay, runtime.Time, cancellationToken);
                }

                first = false;

                // The failure comes after N content events, or before the finish chunk when there are fewer.
                if (kind == SimulatedFaultKind.FailMidStream
                    && streamEvent.Kind != StreamEventKind.Role
                    && (contentSent == fault!.EventsBeforeFailure || streamEvent.Kind != StreamEventKind.Content))
                {
                    await FailAsync(context, reply, fault.MidStreamFailure, cancellationToken);
                    return;
                }

                await WriteFlushedAsync(response, cancellationToken, DataPrefix, streamEvent.Json, EventEnd);
                if (streamEvent.Kind == StreamEventKind.Content)
                {
                    contentSent++;
                }

                if (kind == SimulatedFaultKind.MalformedEvent && streamEvent.Kind == StreamEventKind.Role)
                {
                    await WriteFlushedAsync(response, cancellationToken, DataPrefix, ChatStreamWriter.Malformed(reply), EventEnd);
                }

                if (kind == SimulatedFaultKind.KeepAliveComments)
                {
                    await WriteFlushedAsync(response, cancellationToken, KeepAlive);
                }
            }

            if (kind != SimulatedFaultKind.StreamWithoutDone)
            {
                await WriteFlushedAsync(response, cancellationToken, Done);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away or the simulator is stopping: end the stream abruptly, as a server would.
            context.Abort();
        }
    }

    private static async Task FailAsync(HttpContext context, ChatReply reply, MidStreamFailure failure, CancellationToken cancellationToken)
    {
        if (failure == MidStreamFailure.ErrorChunk)
        {
            // Status 200 is on the wire already, so the error travels in a chunk; then the stream just ends.
            var chunk = JsonBody.Write(writer =>
                OpenRouterErrors.WriteStreamErrorChunk(writer, reply.Id, reply.Created, reply.Model, ChatReply.OpenRouterProvider));
            await WriteFlushedAsync(context.Response, cancellationToken, DataPrefix, chunk, EventEnd);
            return;
        }

        await TransportSettle.AbortAsync(context);
    }

    private static async Task WriteFlushedAsync(HttpResponse response, CancellationToken cancellationToken, params byte[][] parts)
    {
        foreach (var part in parts)
        {
            await response.Body.WriteAsync(part, cancellationToken);
        }

        await response.Body.FlushAsync(cancellationToken);
    }
}
