using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Spillway.Core.Providers;
using Spillway.Simulator;
using Spillway.Tests.Support;

namespace Spillway.Tests.Endpoints;

/// <summary>The admin API: key state, the ledger, the admin token, and no secret anywhere.</summary>
public sealed class AdminEndpointsTests
{
    [Fact]
    public async Task Keys_AfterAQuota429_ShowsTheCooldownAndItsReason()
    {
        await using var gateway = await TestGateway.StartAsync([new SimulatedProvider("groq", SimulatorStyle.Groq), new SimulatedProvider("openai")]);
        gateway["groq"].Enqueue(SimulatedFault.QuotaExhausted());
        using (await gateway.ChatAsync("chain"))
        {
        }

        using var json = JsonDocument.Parse(await gateway.Http.GetStringAsync("/admin/keys"));

        var groq = json.RootElement.EnumerateArray().Single(k => k.GetProperty("id").GetString() == "groq-key");
        Assert.Equal("groq", groq.GetProperty("provider").GetString());
        Assert.Equal("free", groq.GetProperty("tier").GetString());
        Assert.True(groq.GetProperty("cooldown_until").GetDateTimeOffset() > DateTimeOffset.UtcNow);
        Assert.Equal("quota_exhausted", groq.GetProperty("cooldowns")[0].GetProperty("outcome").GetString());
        var openai = json.RootElement.EnumerateArray().Single(k => k.GetProperty("id").GetString() == "openai-key");
        Assert.Equal(JsonValueKind.Null, openai.GetProperty("cooldown_until").ValueKind);
    }

    [Fact]
    public async Task AdminAndErrors_NeverShowAProviderKey()
    {
        await using var gateway = await TestGateway.StartAsync([new SimulatedProvider("groq", SimulatorStyle.Groq), new SimulatedProvider("openai")]);
        gateway["groq"].Enqueue(SimulatedFault.Unauthorized());
        gateway["openai"].Enqueue(SimulatedFault.QuotaExhausted());
        using var failed = await gateway.ChatAsync("chain");
        var errorBody = await failed.Content.ReadAsStringAsync();

        var keys = await gateway.Http.GetStringAsync("/admin/keys");
        var requests = await gateway.Http.GetStringAsync("/admin/requests");

        foreach (var provider in new[] { "groq", "openai" })
        {
            var secret = TestGateway.SecretOf(provider);
            Assert.DoesNotContain(secret, errorBody, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, keys, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, requests, StringComparison.Ordinal);
        }

        Assert.Contains("6789", keys, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/admin/requests")]
    [InlineData("/admin/keys")]
    [InlineData("/admin/routes")]
    [InlineData("/admin/usage")]
    [InlineData("/admin/catalog/free")]
    [InlineData("/admin/clients")]
    public async Task Admin_WithATokenSet_RefusesCallersWithoutIt(string path)
    {
        await using var gateway = await TestGateway.StartAsync(
            [new SimulatedProvider("openai")],
            (_, config) => config with { Auth = config.Auth with { AdminToken = new Secret("admin-token-for-tests") } });

        using var anonymous = await gateway.Http.GetAsync(path);
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "admin-token-for-tests");
        using var authorized = await gateway.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.OK, authorized.StatusCode);
    }

    [Fact]
    public async Task Requests_RecordsRequestsRefusedAtTheDoor()
    {
        await using var gateway = await TestGateway.StartAsync([new SimulatedProvider("openai")]);
        using (await gateway.ChatAsync("no-such-model"))
        {
        }

        var ledger = await gateway.LedgerAsync(1);

        Assert.Equal(404, ledger[0].GetProperty("status").GetInt32());
        Assert.Equal("no-such-model", ledger[0].GetProperty("model").GetString());
        Assert.Equal(0, ledger[0].GetProperty("attempts").GetArrayLength());
    }
}
