using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Spillway.Simulator;
using Spillway.Tests.Support;

namespace Spillway.Tests.Endpoints;

/// <summary><c>GET /healthz</c> and <c>GET /readyz</c> over real HTTP.</summary>
public sealed class HealthEndpointsTests
{
    [Fact]
    public async Task Healthz_Running_OkWithWhatItServes()
    {
        await using var gateway = await TestGateway.StartAsync([new SimulatedProvider("a"), new SimulatedProvider("b")]);

        using var health = JsonDocument.Parse(await gateway.Http.GetStringAsync("/healthz"));

        Assert.Equal("ok", health.RootElement.GetProperty("status").GetString());
        Assert.Equal(2, health.RootElement.GetProperty("providers").GetInt32());
        Assert.False(health.RootElement.GetProperty("demo").GetBoolean());
        var stores = health.RootElement.GetProperty("stores");
        Assert.Equal("memory", stores.GetProperty("live_state").GetString());
        Assert.Equal("sqlite", stores.GetProperty("records").GetString());
        Assert.False(health.RootElement.TryGetProperty("problems", out _));
    }

    [Fact]
    public async Task Readyz_Running_200Ready()
    {
        await using var gateway = await TestGateway.StartAsync([new SimulatedProvider("a")]);

        using var response = await gateway.Http.GetAsync("/readyz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("{\"status\":\"ready\"}", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Readyz_OnceShutdownBegan_503Stopping()
    {
        await using var gateway = await TestGateway.StartAsync([new SimulatedProvider("a")]);
        gateway.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();

        using var response = await gateway.Http.GetAsync("/readyz");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("\"stopping\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
