using static Spillway.Tests.Endpoints.OpenAIEndpointsFallbackTests;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Spillway.Core.Engine;
using Spillway.Demo;
using Spillway.Hosting;

namespace Spillway.Tests.Demo;

/// <summary>The demo: simulated free tiers run out and the chain visibly falls back, all labelled as simulated.</summary>
public sealed class DemoEnvironmentTests
{
    [Fact]
    public async Task Demo_RepeatedRequests_FallDownTheChainToThePaidSimulator()
    {
        await using var demo = await DemoEnvironment.StartAsync(CancellationToken.None);
        await using var app = SpillwayApp.Build(new SpillwayAppOptions
        {
            Config = demo.Config,
            Urls = "http://127.0.0.1:0",
            DataDirectory = demo.DataDirectory,
            Demo = true,
            Time = TimeProvider.System,
            LogLevel = LogLevel.Warning,
        });
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = app.BoundAddress() };

        var routes = new List<string?>();
        for (var i = 0; i < 10; i++)
        {
            using var response = await http.PostAsync("/v1/chat/completions", Support.TestGateway.ChatBody("free-first"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.NotNull(Header(response, SpillwayHeaders.Demo));
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Contains("simulated", body.RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString(), StringComparison.OrdinalIgnoreCase);
            routes.Add(Header(response, SpillwayHeaders.Route));
        }

        Assert.Equal("demo-gemini/gemini-2.5-flash", routes[0]);
        Assert.Contains("demo-groq/llama-3.3-70b-versatile", routes);
        Assert.Contains("demo-openrouter/meta-llama/llama-3.3-70b-instruct:free", routes);
        Assert.Equal("demo-openai/gpt-4o-mini", routes[^1]);
        using var health = JsonDocument.Parse(await http.GetStringAsync("/healthz"));
        Assert.True(health.RootElement.GetProperty("demo").GetBoolean());
        await app.StopAsync();
    }
}
