using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Spillway.Core.Chat;
using Spillway.Core.Configuration;
using Spillway.Core.Providers;
using Spillway.Simulator;
using Spillway.Tests.Support;
using Spillway.Tests.Telemetry;

namespace Spillway.Tests.Hosting;

/// <summary>The host as <c>SpillwayApp.Build</c> sets it up, seen from outside.</summary>
/// <remarks>In the tracing collection: a traced gateway running beside this one would make its HttpClient send a
/// traceparent, since activity listeners are process-wide.</remarks>
[Collection(TracingCollection.Name)]
public sealed class SpillwayAppTests
{
    [Fact]
    public async Task Build_ChatRequest_StartsNoPerRequestActivity()
    {
        // The visible trace of a per-request Activity is the traceparent HttpClient adds to the upstream call.
        await using var up = new LoopbackUpstream(LoopbackUpstream.Answer(200, Completion));
        await using var gateway = await TestGateway.StartAsync(
            [new SimulatedProvider("openai")],
            (_, config) => config with
            {
                Providers =
                [
                    new ProviderConfig
                    {
                        Id = "up",
                        Format = WireFormat.OpenAI,
                        Auth = AuthStyle.Bearer,
                        BaseUrl = up.BaseUrl,
                        Keys = [new KeyConfig("up-key", new Secret("plainkeyvalue0123"), KeyTier.Free, KeyLimits.Unknown)],
                        Models = ["gpt-4o-mini"],
                    },
                    .. config.Providers,
                ],
            });

        using var response = await gateway.ChatAsync("up/gpt-4o-mini");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sent = Assert.Single(up.Requests, r => r.RequestLine.StartsWith("POST ", StringComparison.Ordinal));
        Assert.Null(sent.Header("traceparent"));
    }

    [Fact]
    public async Task Build_WatchesNoConfigurationFile()
    {
        await using var gateway = await TestGateway.StartAsync([new SimulatedProvider("openai")]);

        var configuration = (IConfigurationRoot)gateway.Services.GetRequiredService<IConfiguration>();

        // A watched file would put a recursive file-system watcher over the working directory (and the data folder
        // when it is below it): no source may ask for one.
        var files = configuration.Providers.OfType<FileConfigurationProvider>().ToList();
        Assert.NotEmpty(files);
        Assert.All(files, file => Assert.False(file.Source.ReloadOnChange, file.Source.Path));
    }

    private const string Completion = """
        {"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"message":{"role":"assistant","content":"Hi"},"finish_reason":"stop"}],"usage":{"prompt_tokens":3,"completion_tokens":1,"total_tokens":4}}
        """;
}
