using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Spillway.Simulator;
using Spillway.Tests.Support;

namespace Spillway.Tests.Hosting;

/// <summary>The catalog refresh loop over real providers on loopback, one of whose <c>GET /models</c> bodies breaks.</summary>
public sealed class CatalogRefresherTests
{
    [Fact]
    public async Task ExecuteAsync_OneModelsBodyBreaksAfterItsHeaders_RefreshesTheOthersRecordsTheErrorAndRetriesOnSchedule()
    {
        await using var models = new BreakableModelsServer();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 10, 0, 0, TimeSpan.Zero));
        // "broken" comes first, so a failure that escaped the round would leave "healthy" unread.
        await using var gateway = await TestGateway.StartAsync(
            [new SimulatedProvider("broken", SimulatorStyle.Groq), new SimulatedProvider("healthy", SimulatorStyle.Groq) { Models = ["llama-3.3-70b-versatile"] }],
            (simulator, config) => config with
            {
                Providers = [.. config.Providers.Select(p => p.Id == "broken" ? p with { BaseUrl = models.BaseUrl } : p)],
            },
            time: time);

        var first = await CatalogsWhenAsync(gateway, sources => sources.ContainsKey("provider:broken") && sources.ContainsKey("provider:healthy"));

        Assert.Equal(1, first["provider:healthy"].GetProperty("model_count").GetInt32());
        Assert.Equal(JsonValueKind.Null, first["provider:healthy"].GetProperty("last_error").ValueKind);
        var broken = first["provider:broken"];
        Assert.Equal(0, broken.GetProperty("model_count").GetInt32());
        Assert.Contains("broke off", broken.GetProperty("last_error").GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, models.Requests);

        models.Broken = false;
        var healed = await CatalogsWhenAsync(
            gateway,
            sources => sources["provider:broken"].GetProperty("last_error").ValueKind == JsonValueKind.Null,
            () => time.Advance(TimeSpan.FromMinutes(60)));

        // Each look moved the clock on by one refresh interval, so more than one refresh may have run by now.
        Assert.Equal(2, healed["provider:broken"].GetProperty("model_count").GetInt32());
        Assert.True(models.Requests >= 2);
    }

    /// <summary>The catalogs of <c>GET /admin/catalog/free</c> by source, once <paramref name="done"/> holds; <paramref name="step"/>
    /// (advancing the clock to the next scheduled refresh) runs before each look.</summary>
    private static async Task<Dictionary<string, JsonElement>> CatalogsWhenAsync(
        TestGateway gateway, Func<Dictionary<string, JsonElement>, bool> done, Action? step = null)
    {
        for (var tries = 0; ; tries++)
        {
            step?.Invoke();
            var body = await gateway.Http.GetFromJsonAsync<JsonElement>("/admin/catalog/free");
            var sources = body.GetProperty("catalogs").EnumerateArray().ToDictionary(s => s.GetProperty("source").GetString()!);
            if (done(sources))
            {
                return sources;
            }

            Assert.True(tries < 400, "the catalog refresh did not get there: " + body);
            await Task.Delay(25);
        }
    }

    /// <summary>A provider's <c>GET /v1/models</c> on a bare socket: while <see cref="Broken"/>, a 200 whose body stops after
    /// its first bytes (the connection closes well short of its <c>Content-Length</c>, so reading it throws an
    /// <c>HttpIOException</c>); then a whole list of two models.</summary>
    private sealed class BreakableModelsServer : IAsyncDisposable
    {
        private const string List = "{\"object\":\"list\",\"data\":[{\"id\":\"model-a\",\"object\":\"model\"},{\"id\":\"model-b\",\"object\":\"model\"}]}";

        private readonly LoopbackUpstream _upstream;

        public BreakableModelsServer() => _upstream = new LoopbackUpstream(AnswerAsync);

        public Uri BaseUrl => _upstream.BaseUrl;

        public volatile bool Broken = true;

        public int Requests => _upstream.Requests.Count;

        private Task AnswerAsync(UpstreamRequest request, Stream stream, CancellationToken token)
        {
            if (!Broken)
            {
                return LoopbackUpstream.WriteAsync(stream, 200, Encoding.UTF8.GetBytes(List), "application/json", [], token);
            }

            var head = $"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {List.Length}\r\nConnection: close\r\n\r\n";
            return stream.WriteAsync(Encoding.ASCII.GetBytes(head + List[..30]), token).AsTask();
        }

        public ValueTask DisposeAsync() => _upstream.DisposeAsync();
    }
}
