using System.IO.Pipelines;

namespace Spillway.Bench.Load.Upstream;

/// <summary>
/// The minimal upstream every target forwards to: Kestrel on 127.0.0.1, <c>POST /v1/chat/completions</c> answering
/// a fixed small completion, or for <c>stream:true</c> a paced event stream; <c>POST /spent/v1/chat/completions</c>
/// answers OpenAI's billing 429, for the chain whose first step is in cooldown.
/// </summary>
/// <remarks>
/// It runs inside the benchmark process: it is the same fixed cost for every target, and the benchmark process is
/// otherwise idle while wrk runs, so a separate process would only add one more thing to start and stop.
/// </remarks>
internal sealed class UpstreamServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly PaceClock _pace = new();
    private long _spentCalls;

    private UpstreamServer(WebApplication app) => _app = app;

    /// <summary>The server's root, <c>http://127.0.0.1:PORT</c>.</summary>
    public Uri Root => new(_app.Urls.First());

    /// <summary>How many calls reached the spent (429) endpoint: once per Spillway process when cooldown works.</summary>
    public long SpentCalls => Interlocked.Read(ref _spentCalls);

    /// <summary>Starts on 127.0.0.1 at <paramref name="port"/> (0: any free port).</summary>
    public static async Task<UpstreamServer> StartAsync(int port, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new UpstreamServer(app);
        app.MapPost("/v1/chat/completions", server.ChatAsync);
        app.MapPost("/spent/v1/chat/completions", server.SpentAsync);

        // An OTLP/HTTP sink for the traced row: reads each batch of spans whole and answers 200 with an empty
        // ExportTraceServiceResponse, as a collector does (nothing is decoded or kept).
        app.MapPost("/v1/traces", static async context =>
        {
            await context.Request.Body.CopyToAsync(Stream.Null, context.RequestAborted);
            context.Response.ContentType = "application/x-protobuf";
        });
        await app.StartAsync(cancellationToken);
        return server;
    }

    /// <summary>Waits until the process is asked to stop (Ctrl+C, SIGTERM).</summary>
    public Task WaitForShutdownAsync() => _app.WaitForShutdownAsync();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _pace.Dispose();
    }

    private async Task ChatAsync(HttpContext context)
    {
        var aborted = context.RequestAborted;
        var flags = await ReadFlagsAsync(context.Request.BodyReader, aborted);
        var response = context.Response;
        if (!flags.Stream)
        {
            response.ContentType = "application/json";
            response.ContentLength = UpstreamPayloads.Completion.Length;
            await response.Body.WriteAsync(UpstreamPayloads.Completion, aborted);
            return;
        }

        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        var body = response.BodyWriter;

        // The role chunk and the first word leave together: the first event a client sees is then the upstream's
        // answer to "time to first event", not a pacing gap that a gateway holding back the empty role chunk
        // (as Spillway does, so a failure before content can still fall back) would be charged for.
        await WriteAsync(body, UpstreamPayloads.RoleEvent, aborted);
        var contents = UpstreamPayloads.ContentEvents;
        await WriteAsync(body, contents[0], aborted);
        for (var i = 1; i < contents.Count; i++)
        {
            await _pace.NextTickAsync(aborted);
            await WriteAsync(body, contents[i], aborted);
        }

        await WriteAsync(body, UpstreamPayloads.FinishEvent, aborted);
        if (flags.IncludeUsage)
        {
            await WriteAsync(body, UpstreamPayloads.UsageEvent, aborted);
        }

        await WriteAsync(body, UpstreamPayloads.DoneEvent, aborted);
    }

    private async Task SpentAsync(HttpContext context)
    {
        Interlocked.Increment(ref _spentCalls);
        await ReadFlagsAsync(context.Request.BodyReader, context.RequestAborted);
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(UpstreamPayloads.InsufficientQuota, context.RequestAborted);
    }

    private static async Task<ChatRequestFlags> ReadFlagsAsync(PipeReader reader, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken);
            if (result.IsCompleted)
            {
                var flags = ChatRequestFlags.Read(result.Buffer);
                reader.AdvanceTo(result.Buffer.End);
                return flags;
            }

            // Nothing consumed until the whole body is in: the flags are read from it in one pass.
            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }

    // PipeWriter.WriteAsync flushes: each event leaves as its own write, as a real upstream's tokens do.
    private static async ValueTask WriteAsync(PipeWriter body, byte[] frame, CancellationToken cancellationToken) =>
        await body.WriteAsync(frame, cancellationToken);
}
