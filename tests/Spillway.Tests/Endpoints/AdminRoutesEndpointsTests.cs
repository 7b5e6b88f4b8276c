using System.Text.Json;
using Spillway.Core.Configuration;
using Spillway.Simulator;
using Spillway.Tests.Support;

namespace Spillway.Tests.Endpoints;

/// <summary><c>GET /admin/routes</c>: each route's breaker and measured speed.</summary>
public sealed class AdminRoutesEndpointsTests
{
    [Fact]
    public async Task Routes_BeforeAnyCall_ListsEveryConfiguredRouteClosedAndUnmeasured()
    {
        await using var gateway = await TestGateway.StartAsync([new SimulatedProvider("a"), new SimulatedProvider("groq", SimulatorStyle.Groq)]);

        using var json = JsonDocument.Parse(await gateway.Http.GetStringAsync("/admin/routes"));

        var routes = json.RootElement.EnumerateArray().ToList();
        Assert.Equal(["a/gpt-4o-mini", "groq/llama-3.3-70b-versatile"], routes.Select(r => r.GetProperty("route").GetString()));
        var breaker = routes[0].GetProperty("breaker");
        Assert.Equal("closed", breaker.GetProperty("state").GetString());
        Assert.Equal(0, breaker.GetProperty("failures").GetInt32());
        Assert.Equal(JsonValueKind.Null, breaker.GetProperty("open_until").ValueKind);
        Assert.Equal(JsonValueKind.Null, breaker.GetProperty("last_failure").ValueKind);
        Assert.Equal(JsonValueKind.Null, routes[0].GetProperty("latency_ms").ValueKind);
        Assert.Equal(JsonValueKind.Null, routes[0].GetProperty("ttft_ms").ValueKind);
        Assert.Equal(0, routes[0].GetProperty("samples").GetInt64());
    }

    [Fact]
    public async Task Routes_AfterAFailureAndServedCalls_ShowTheOpenBreakerAndTheMeasuredSpeed()
    {
        await using var gateway = await TestGateway.StartAsync(
            [new SimulatedProvider("a"), new SimulatedProvider("b")],
            (_, config) => config with { Breaker = new BreakerConfig(1, TimeSpan.FromMinutes(5)) });
        gateway["a"].Enqueue(SimulatedFault.Overloaded());
        using (await gateway.ChatAsync("chain"))
        {
        }

        using (var stream = await gateway.ChatAsync("chain", stream: true))
        {
            await stream.Content.ReadAsStringAsync();
        }

        using var json = JsonDocument.Parse(await gateway.Http.GetStringAsync("/admin/routes"));

        var a = Route(json, "a/gpt-4o-mini");
        var breaker = a.GetProperty("breaker");
        Assert.Equal("open", breaker.GetProperty("state").GetString());
        Assert.Equal(1, breaker.GetProperty("failures").GetInt32());
        Assert.True(breaker.GetProperty("open_until").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(4));
        Assert.Equal("overloaded", breaker.GetProperty("last_failure").GetProperty("outcome").GetString());
        Assert.StartsWith("a:", breaker.GetProperty("last_failure").GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, a.GetProperty("samples").GetInt64());
        var b = Route(json, "b/gpt-4o-mini");
        Assert.Equal("closed", b.GetProperty("breaker").GetProperty("state").GetString());
        Assert.True(b.GetProperty("latency_ms").GetDouble() > 0);
        Assert.True(b.GetProperty("ttft_ms").GetDouble() >= 0);
        Assert.Equal(2, b.GetProperty("samples").GetInt64());
    }

    private static JsonElement Route(JsonDocument json, string route) =>
        json.RootElement.EnumerateArray().Single(r => r.GetProperty("route").GetString() == route);
}
