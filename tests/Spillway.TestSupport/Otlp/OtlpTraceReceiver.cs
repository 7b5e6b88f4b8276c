using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Text;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Proto.Collector.Trace.V1;

namespace Spillway.TestSupport.Otlp;

/// <summary>
/// An OTLP/HTTP trace receiver for tests, on Kestrel 127.0.0.1:0: it takes <c>POST /v1/traces</c> with an
/// <c>application/x-protobuf</c> body (gzip-compressed or not), decodes it with the official OTLP schema
/// (<c>Otlp/proto</c>), keeps the spans as <see cref="ReceivedSpan"/> and every body as it was sent (once
/// decompressed), and answers 200 with an empty <c>ExportTraceServiceResponse</c>. Anything else is refused (415 for
/// another content type, 400 for a body that does not decode) and noted in <see cref="Refusals"/>.
/// </summary>
public sealed class OtlpTraceReceiver : IAsyncDisposable
{
    private const string TracesPath = "/v1/traces";
    private const string Protobuf = "application/x-protobuf";

    private readonly Lock _gate = new();
    private readonly List<ReceivedSpan> _spans = [];
    private readonly List<byte[]> _bodies = [];
    private readonly List<string> _refusals = [];
    private WebApplication? _app;

    /// <summary>Completed (and replaced) each time a request has been handled, accepted or refused.</summary>
    private TaskCompletionSource _changed = NewSignal();

    private OtlpTraceReceiver()
    {
    }

    /// <summary>The receiver's base address, <c>http://127.0.0.1:port</c>; exporters post to <c>{Endpoint}/v1/traces</c>.</summary>
    public Uri Endpoint { get; private set; } = null!;

    /// <summary>The full traces address, <c>{Endpoint}/v1/traces</c>, for exporters that take the signal's own URL.</summary>
    public Uri TracesEndpoint => new(Endpoint, TracesPath);

    /// <summary>Every span received so far, in the order they arrived.</summary>
    public IReadOnlyList<ReceivedSpan> Spans
    {
        get
        {
            lock (_gate)
            {
                return [.. _spans];
            }
        }
    }

    /// <summary>
    /// The body of every accepted or refused request, as the exporter encoded it (after gzip is undone), in arrival
    /// order: for asserting that a secret never left the process.
    /// </summary>
    public IReadOnlyList<byte[]> Bodies
    {
        get
        {
            lock (_gate)
            {
                return [.. _bodies];
            }
        }
    }

    /// <summary>Why requests were refused (method, path, content type or decoding), in arrival order.</summary>
    public IReadOnlyList<string> Refusals
    {
        get
        {
            lock (_gate)
            {
                return [.. _refusals];
            }
        }
    }

    /// <summary>Starts a receiver on a free loopback port.</summary>
    public static async Task<OtlpTraceReceiver> StartNewAsync()
    {
        var receiver = new OtlpTraceReceiver();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(OtlpTraceReceiver).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });

        // It runs inside the test process: none of its settings (ASPNETCORE_URLS, appsettings.json) nor its logging.
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(options =>
        {
            options.AddServerHeader = false;
            options.Listen(IPAddress.Loopback, 0);
        });

        var app = builder.Build();
        app.Run(receiver.HandleAsync);
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        receiver._app = app;
        receiver.Endpoint = new Uri(address.TrimEnd('/'));
        return receiver;
    }

    /// <summary>True when any body received so far contains <paramref name="text"/> (UTF-8, as OTLP encodes strings).</summary>
    public bool AnyBodyContains(string text)
    {
        ArgumentException.ThrowIfNullOrEmpty(text);
        var needle = Encoding.UTF8.GetBytes(text);
        return Bodies.Any(body => body.AsSpan().IndexOf(needle) >= 0);
    }

    /// <summary>
    /// Returns the spans received so far once <paramref name="done"/> accepts them, checking again each time a request
    /// has been handled; throws with what was received after <paramref name="timeout"/>.
    /// </summary>
    public async Task<IReadOnlyList<ReceivedSpan>> WaitForSpansAsync(Func<IReadOnlyList<ReceivedSpan>, bool> done, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(done);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            IReadOnlyList<ReceivedSpan> spans;
            Task changed;
            lock (_gate)
            {
                spans = [.. _spans];
                changed = _changed.Task;
            }

            if (done(spans))
            {
                return spans;
            }

            var left = timeout - clock.Elapsed;
            if (left <= TimeSpan.Zero)
            {
                throw NotReceived(timeout);
            }

            try
            {
                await changed.WaitAsync(left);
            }
            catch (TimeoutException)
            {
                throw NotReceived(timeout);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is { } app)
        {
            _app = null;
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        if (!HttpMethods.IsPost(request.Method) || request.Path != TracesPath)
        {
            await RefuseAsync(context, StatusCodes.Status404NotFound, $"{request.Method} {request.Path}: only POST {TracesPath} is served", body: null);
            return;
        }

        // The whole body, gzip undone: what the exporter encoded, kept even when it is refused.
        byte[] body;
        try
        {
            body = await ReadBodyAsync(request, context.RequestAborted);
        }
        catch (InvalidDataException e)
        {
            await RefuseAsync(context, StatusCodes.Status400BadRequest, $"the body does not decompress ({e.Message})", body: null);
            return;
        }

        var mediaType = request.ContentType?.Split(';')[0].Trim();
        if (!string.Equals(mediaType, Protobuf, StringComparison.OrdinalIgnoreCase))
        {
            await RefuseAsync(
                context, StatusCodes.Status415UnsupportedMediaType, $"content type '{request.ContentType}': only {Protobuf} is decoded", body);
            return;
        }

        ExportTraceServiceRequest decoded;
        try
        {
            decoded = ExportTraceServiceRequest.Parser.ParseFrom(body);
        }
        catch (InvalidProtocolBufferException e)
        {
            await RefuseAsync(context, StatusCodes.Status400BadRequest, $"the body is not an ExportTraceServiceRequest ({e.Message})", body);
            return;
        }

        var spans = Flatten(decoded);
        lock (_gate)
        {
            _bodies.Add(body);
            _spans.AddRange(spans);
        }

        // Answered before waiters are woken: a test that saw the spans finds the exporter's call completed too.
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = Protobuf;
        await context.Response.Body.WriteAsync(new ExportTraceServiceResponse().ToByteArray(), context.RequestAborted);
        await context.Response.CompleteAsync();
        Signal();
    }

    private async Task RefuseAsync(HttpContext context, int status, string reason, byte[]? body)
    {
        lock (_gate)
        {
            _refusals.Add(reason);
            if (body is not null)
            {
                _bodies.Add(body);
            }
        }

        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync(reason, context.RequestAborted);
        await context.Response.CompleteAsync();
        Signal();
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var encoding = request.Headers.ContentEncoding.ToString().Trim();
        using var buffer = new MemoryStream();
        if (encoding.Length == 0 || string.Equals(encoding, "identity", StringComparison.OrdinalIgnoreCase))
        {
            await request.Body.CopyToAsync(buffer, cancellationToken);
        }
        else if (string.Equals(encoding, "gzip", StringComparison.OrdinalIgnoreCase))
        {
            await using var gzip = new GZipStream(request.Body, CompressionMode.Decompress, leaveOpen: true);
            await gzip.CopyToAsync(buffer, cancellationToken);
        }
        else
        {
            throw new InvalidDataException($"unsupported Content-Encoding '{encoding}'");
        }

        return buffer.ToArray();
    }

    private static List<ReceivedSpan> Flatten(ExportTraceServiceRequest request)
    {
        var spans = new List<ReceivedSpan>();
        foreach (var resourceSpans in request.ResourceSpans)
        {
            var resource = resourceSpans.Resource is { } r
                ? OtlpValues.Attributes(r.Attributes)
                : new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var scopeSpans in resourceSpans.ScopeSpans)
            {
                var scope = scopeSpans.Scope?.Name ?? "";
                foreach (var span in scopeSpans.Spans)
                {
                    spans.Add(new ReceivedSpan(
                        OtlpValues.Id(span.TraceId) ?? "",
                        OtlpValues.Id(span.SpanId) ?? "",
                        OtlpValues.Id(span.ParentSpanId),
                        span.Name,
                        OtlpValues.Kind(span.Kind),
                        OtlpValues.Attributes(span.Attributes),
                        resource,
                        scope,
                        OtlpValues.Status(span.Status)));
                }
            }
        }

        return spans;
    }

    private void Signal()
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            changed = _changed;
            _changed = NewSignal();
        }

        changed.TrySetResult();
    }

    private TimeoutException NotReceived(TimeSpan timeout)
    {
        lock (_gate)
        {
            var names = _spans.Count == 0 ? "none" : string.Join(", ", _spans.Select(s => $"'{s.Name}'"));
            var refusals = _refusals.Count == 0 ? "none" : string.Join("; ", _refusals);
            return new TimeoutException(
                $"The spans received within {timeout.TotalSeconds:0.#} s were not the ones awaited. "
                + $"Spans received ({_spans.Count}): {names}. Requests refused ({_refusals.Count}): {refusals}.");
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
