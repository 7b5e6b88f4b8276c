using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Spillway.Core.Providers;
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
    public async Task Readyz_Running_200ReadyWithEachCheck()
    {
        await using var gateway = await TestGateway.StartAsync([new SimulatedProvider("a")]);

        using var response = await gateway.Http.GetAsync("/readyz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(
            """{"status":"ready","checks":{"config":{"status":"ok","source":"test"},"ledger":{"status":"ok","queued":0,"dropped":0},"shutdown":{"status":"ok"}}}""",
            await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Readyz_OnceShutdownBegan_503ShuttingDown()
    {
        await using var gateway = await TestGateway.StartAsync([new SimulatedProvider("a")]);
        gateway.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();

        var (status, ready) = await ReadyAsync(gateway.Http);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("not_ready", ready.GetProperty("status").GetString());
        Assert.Equal("stopping", ready.GetProperty("checks").GetProperty("shutdown").GetProperty("status").GetString());
        Assert.StartsWith("shutting down", Assert.Single(ready.GetProperty("reasons").EnumerateArray()).GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Readyz_RedisStopped_503WithTheRedisReason_ThenReadyWhenItReturns()
    {
        await using var cluster = await GatewayCluster.StartAsync(1, [new SimulatedProvider("a")]);
        var instance = cluster.Instances[0];
        var address = "127.0.0.1:" + cluster.Redis.Port;
        var (status, ready) = await ReadyAsync(instance);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(address, ready.GetProperty("checks").GetProperty("redis").GetProperty("address").GetString());

        await cluster.Redis.StopAsync();
        var down = await UntilAsync(instance, HttpStatusCode.ServiceUnavailable);

        Assert.Equal("unreachable", down.GetProperty("checks").GetProperty("redis").GetProperty("status").GetString());
        var reason = Assert.Single(down.GetProperty("reasons").EnumerateArray()).GetString();
        Assert.StartsWith($"redis {address} is unreachable: ", reason, StringComparison.Ordinal);

        await cluster.Redis.StartAsync();
        var back = await UntilAsync(instance, HttpStatusCode.OK);
        Assert.Equal("ok", back.GetProperty("checks").GetProperty("redis").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Readyz_PostgresStopped_503WithThePostgresReasonAndNoPassword_ThenReadyWhenItReturns()
    {
        // The test server trusts loopback, so it never asks for this password: it is there only to prove it never shows.
        const string Password = "readyz-pg-secret-0123456789";
        await using var cluster = await GatewayCluster.StartAsync(
            1,
            [new SimulatedProvider("a")],
            postgres: true,
            host: options => options with
            {
                Config = options.Config with
                {
                    Storage = options.Config.Storage with { Postgres = new Secret(options.Config.Storage.Postgres!.Reveal() + ";Password=" + Password) },
                },
            });
        var instance = cluster.Instances[0];
        Assert.Equal(HttpStatusCode.OK, (await ReadyAsync(instance)).Status);

        // PostgreSQL is asked every 5 s of the gateway's (fake) clock: each round moves it on to the next check.
        await cluster.Postgres!.StopAsync();
        var down = await UntilAsync(instance, HttpStatusCode.ServiceUnavailable, cluster.Time);

        Assert.Equal("unreachable", down.GetProperty("checks").GetProperty("postgres").GetProperty("status").GetString());
        var reason = Assert.Single(down.GetProperty("reasons").EnumerateArray()).GetString();
        Assert.Matches("^postgresql .+@127\\.0\\.0\\.1:[0-9]+/.+ is unreachable: ledger entries are buffered in memory", reason);
        Assert.DoesNotContain(Password, down.GetRawText(), StringComparison.Ordinal);

        await cluster.Postgres.StartAsync();
        var back = await UntilAsync(instance, HttpStatusCode.OK, cluster.Time);
        Assert.Equal("ok", back.GetProperty("checks").GetProperty("postgres").GetProperty("status").GetString());
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> ReadyAsync(HttpClient instance)
    {
        using var response = await instance.GetAsync("/readyz");
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, body.RootElement.Clone());
    }

    /// <summary>
    /// Polls <c>/readyz</c> (bounded) until it answers <paramref name="status"/>: the instance notices a store going
    /// or coming back by itself (the Redis client's connection events, PostgreSQL's periodic check), so the test waits
    /// on the server's state, never a fixed sleep. With <paramref name="advance"/>, each round first moves the
    /// gateway's clock on by the 5 s between PostgreSQL checks.
    /// </summary>
    private static async Task<JsonElement> UntilAsync(HttpClient instance, HttpStatusCode status, FakeTimeProvider? advance = null)
    {
        var last = default(JsonElement);
        for (var attempt = 0; attempt < 600; attempt++)
        {
            advance?.Advance(TimeSpan.FromSeconds(5));
            (var answered, last) = await ReadyAsync(instance);
            if (answered == status)
            {
                return last;
            }

            await Task.Delay(50);
        }

        Assert.Fail($"/readyz did not answer {(int)status} within 30 s; last: {last.GetRawText()}");
        return last;
    }
}
