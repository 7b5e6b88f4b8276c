using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Spillway.TestSupport.Otlp;

namespace Spillway.Tests.TestSupport.Otlp;

/// <summary>
/// The OTLP/HTTP trace receiver itself, fed by the real OpenTelemetry .NET SDK and its OTLP exporter (HTTP/protobuf):
/// the spans it decodes are the ones the SDK recorded.
/// </summary>
public sealed class OtlpTraceReceiverTests
{
    private const string ServiceName = "otlp-receiver-test";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task WaitForSpansAsync_SdkExportsParentAndChild_DecodesThemWithAttributesAndResource()
    {
        await using var receiver = await OtlpTraceReceiver.StartNewAsync();
        var (source, parentId, childId, traceId) = ExportParentAndChild(receiver, secret: null);

        var spans = await receiver.WaitForSpansAsync(s => s.Count >= 2, Patience);

        Assert.Equal(2, spans.Count);
        var parent = Assert.Single(spans, s => s.Name == "parent");
        var child = Assert.Single(spans, s => s.Name == "child");
        Assert.Equal(traceId, parent.TraceId);
        Assert.Equal(traceId, child.TraceId);
        Assert.Matches("^[0-9a-f]{32}$", parent.TraceId);
        Assert.Equal(parentId, parent.SpanId);
        Assert.Equal(childId, child.SpanId);
        Assert.Matches("^[0-9a-f]{16}$", child.SpanId);
        Assert.Null(parent.ParentSpanId);
        Assert.Equal(parent.SpanId, child.ParentSpanId);
        Assert.Equal("Server", parent.Kind);
        Assert.Equal("Internal", child.Kind);
        Assert.Equal("Error", parent.StatusCode);
        Assert.Equal("Ok", child.StatusCode);
        Assert.Equal(source, parent.ScopeName);
        Assert.Equal(source, child.ScopeName);

        Assert.Equal("gpt-test", parent.Attributes["text"]);
        Assert.Equal(42L, parent.Attributes["whole"]);
        Assert.Equal(0.25, parent.Attributes["fraction"]);
        Assert.Equal(true, parent.Attributes["flag"]);
        Assert.Equal(new[] { "a", "b" }, Assert.IsType<string[]>(parent.Attributes["list"]));
        Assert.Equal(new[] { 1L, 2L }, Assert.IsType<long[]>(child.Attributes["numbers"]));
        Assert.Equal(2L, child.Attributes["attempt"]);

        Assert.Equal(ServiceName, parent.ResourceAttributes["service.name"]);
        Assert.Equal(ServiceName, child.ResourceAttributes["service.name"]);
        Assert.Empty(receiver.Refusals);
    }

    [Fact]
    public async Task Bodies_SdkExport_KeepWhatWasSentForSecretChecks()
    {
        await using var receiver = await OtlpTraceReceiver.StartNewAsync();
        ExportParentAndChild(receiver, secret: "sk-live-visible-on-purpose");

        await receiver.WaitForSpansAsync(s => s.Count >= 2, Patience);

        Assert.NotEmpty(receiver.Bodies);
        Assert.True(receiver.AnyBodyContains("sk-live-visible-on-purpose"));
        Assert.False(receiver.AnyBodyContains("sk-never-sent"));
    }

    [Fact]
    public async Task Post_GzipBody_IsDecompressedAndAnsweredWithAnEmptyResponse()
    {
        await using var receiver = await OtlpTraceReceiver.StartNewAsync();
        ExportParentAndChild(receiver, secret: null);
        await receiver.WaitForSpansAsync(s => s.Count >= 2, Patience);
        var body = Assert.Single(receiver.Bodies);

        using var compressed = new MemoryStream();
        await using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            await gzip.WriteAsync(body);
        }

        using var http = new HttpClient();
        using var content = new ByteArrayContent(compressed.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
        content.Headers.ContentEncoding.Add("gzip");
        using var response = await http.PostAsync(receiver.TracesEndpoint, content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/x-protobuf", response.Content.Headers.ContentType?.MediaType);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        var spans = await receiver.WaitForSpansAsync(s => s.Count >= 4, Patience);
        Assert.Equal(
            spans.Take(2).Select(s => (s.SpanId, s.Name)),
            spans.Skip(2).Select(s => (s.SpanId, s.Name)));
        Assert.Equal(body, receiver.Bodies[1]);
    }

    [Fact]
    public async Task Post_JsonOrGarbage_IsRefusedAndNoted()
    {
        await using var receiver = await OtlpTraceReceiver.StartNewAsync();
        using var http = new HttpClient();

        using var json = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
        using var refusedJson = await http.PostAsync(receiver.TracesEndpoint, json);
        using var garbage = new ByteArrayContent([0xff, 0xff, 0xff]);
        garbage.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
        using var refusedGarbage = await http.PostAsync(receiver.TracesEndpoint, garbage);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, refusedJson.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, refusedGarbage.StatusCode);
        Assert.Equal(2, receiver.Refusals.Count);
        Assert.Empty(receiver.Spans);
        var timeout = await Assert.ThrowsAsync<TimeoutException>(
            () => receiver.WaitForSpansAsync(s => s.Count > 0, TimeSpan.FromMilliseconds(200)));
        Assert.Contains("Requests refused (2)", timeout.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// Records a server span "parent" and an internal span "child" under it with the real SDK, exports them over
    /// OTLP/HTTP protobuf to the receiver and flushes; returns the source's name and the ids the SDK gave.
    /// </summary>
    private static (string Source, string ParentId, string ChildId, string TraceId) ExportParentAndChild(OtlpTraceReceiver receiver, string? secret)
    {
        var sourceName = "Spillway.Tests.Otlp." + Guid.NewGuid().ToString("N");
        using var source = new ActivitySource(sourceName);
        using var provider = Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(ResourceBuilder.CreateEmpty().AddService(ServiceName))
            .AddSource(sourceName)
            .SetSampler(new AlwaysOnSampler())
            .AddOtlpExporter(options =>
            {
                options.Protocol = OtlpExportProtocol.HttpProtobuf;
                options.Endpoint = new Uri(receiver.Endpoint, "/v1/traces");
                options.TimeoutMilliseconds = (int)Patience.TotalMilliseconds;
                // Exported only by the flush below: both spans in one request.
                options.BatchExportProcessorOptions = new BatchExportProcessorOptions<Activity> { ScheduledDelayMilliseconds = 600_000 };
            })
            .Build();

        // No ambient activity of the test host becomes the parent.
        Activity.Current = null;
        string parentId, childId, traceId;
        using (var parent = source.StartActivity("parent", ActivityKind.Server))
        {
            Assert.NotNull(parent);
            parent.SetTag("text", "gpt-test");
            parent.SetTag("whole", 42);
            parent.SetTag("fraction", 0.25);
            parent.SetTag("flag", true);
            parent.SetTag("list", new[] { "a", "b" });
            if (secret is not null)
            {
                parent.SetTag("secret", secret);
            }

            using (var child = source.StartActivity("child"))
            {
                Assert.NotNull(child);
                child.SetTag("attempt", 2L);
                child.SetTag("numbers", new[] { 1L, 2L });
                child.SetStatus(ActivityStatusCode.Ok);
                childId = child.SpanId.ToHexString();
            }

            parent.SetStatus(ActivityStatusCode.Error, "failed on purpose");
            parentId = parent.SpanId.ToHexString();
            traceId = parent.TraceId.ToHexString();
        }

        Assert.True(provider.ForceFlush(timeoutMilliseconds: (int)Patience.TotalMilliseconds));
        return (sourceName, parentId, childId, traceId);
    }
}
