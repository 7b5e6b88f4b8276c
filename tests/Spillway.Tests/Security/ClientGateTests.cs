using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Spillway.Core.Configuration;
using Spillway.Core.Engine;
using Spillway.Simulator;
using Spillway.Tests.Support;

namespace Spillway.Tests.Security;

/// <summary>Virtual client keys on a live gateway: who gets in, in which error shape the others are refused, and
/// what a client's allowance (rpm, models) lets through.</summary>
public sealed class ClientGateTests
{
    private const string TeamKey = "sk-spill-team-a-0123456789abcdef";
    private const string OtherKey = "sk-spill-team-b-0123456789abcdef";

    private static Task<TestGateway> StartAsync(params ClientKeyConfig[] clients) =>
        TestGateway.StartAsync(
            [new SimulatedProvider("groq", SimulatorStyle.Groq)],
            (_, config) => config with { Auth = config.Auth with { Clients = [.. clients] } });

    private static ClientKeyConfig Client(string id, string key) => new(id, ClientKeyHash.Of(key));

    private static HttpRequestMessage Chat(string? bearer = null, string? apiKey = null, string model = "chain")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = TestGateway.ChatBody(model) };
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        if (apiKey is not null)
        {
            request.Headers.Add("x-api-key", apiKey);
        }

        return request;
    }

    private static HttpRequestMessage Messages(string? apiKey, string model = "chain")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = TestGateway.MessagesBody(model) };
        if (apiKey is not null)
        {
            request.Headers.Add("x-api-key", apiKey);
        }

        return request;
    }

    [Fact]
    public async Task ClientKey_AsBearerOrXApiKey_IsServedAndNamedInTheLedger()
    {
        await using var gateway = await StartAsync(Client("team-a", TeamKey), Client("team-b", OtherKey));

        using var bearer = await gateway.Http.SendAsync(Chat(bearer: TeamKey));
        using var apiKey = await gateway.Http.SendAsync(Chat(apiKey: OtherKey));
        using var anthropic = await gateway.Http.SendAsync(Messages(TeamKey));

        Assert.Equal(HttpStatusCode.OK, bearer.StatusCode);
        Assert.Equal(HttpStatusCode.OK, apiKey.StatusCode);
        Assert.Equal(HttpStatusCode.OK, anthropic.StatusCode);
        var ledger = await gateway.LedgerAsync(3);
        Assert.Equal(["team-a", "team-b", "team-a"], ledger.EnumerateArray().Select(e => e.GetProperty("client_id").GetString()).Reverse());
    }

    [Theory]
    [InlineData(null, "Missing client key")]
    [InlineData("sk-spill-wrong-0123456789abcdef", "Invalid client key")]
    public async Task WrongOrMissingKey_OpenAIRoute_401InOpenAIShape(string? key, string message)
    {
        await using var gateway = await StartAsync(Client("team-a", TeamKey));

        using var response = await gateway.Http.SendAsync(Chat(bearer: key));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var error = (await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync())).RootElement.GetProperty("error");
        Assert.StartsWith(message, error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("authentication_error", error.GetProperty("type").GetString());
        Assert.Equal("invalid_api_key", error.GetProperty("code").GetString());
        Assert.Equal(0, gateway["groq"].CallCount);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("sk-spill-wrong-0123456789abcdef")]
    public async Task WrongOrMissingKey_AnthropicRoute_401InAnthropicShape(string? key)
    {
        await using var gateway = await StartAsync(Client("team-a", TeamKey));

        using var response = await gateway.Http.SendAsync(Messages(key));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var body = (await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync())).RootElement;
        Assert.Equal("error", body.GetProperty("type").GetString());
        Assert.Equal("authentication_error", body.GetProperty("error").GetProperty("type").GetString());
        Assert.Equal(0, gateway["groq"].CallCount);
    }

    [Fact]
    public async Task ClientKey_HashOfTheKeyPresentedAsKey_IsRefused()
    {
        await using var gateway = await StartAsync(Client("team-a", TeamKey));

        using var response = await gateway.Http.SendAsync(Chat(bearer: ClientKeyHash.Of(TeamKey)));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Rpm_OverTheLimit_429WithRetryAfterAndNoUpstreamCall()
    {
        await using var gateway = await StartAsync(Client("team-a", TeamKey) with { RequestsPerMinute = 2 }, Client("team-b", OtherKey));

        for (var i = 0; i < 2; i++)
        {
            using var ok = await gateway.Http.SendAsync(Chat(bearer: TeamKey));
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        using var limited = await gateway.Http.SendAsync(Chat(bearer: TeamKey));
        using var anthropicLimited = await gateway.Http.SendAsync(Messages(TeamKey));
        using var other = await gateway.Http.SendAsync(Chat(bearer: OtherKey));

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.InRange(limited.Headers.RetryAfter?.Delta?.TotalSeconds ?? 0, 1, 60);
        var error = (await JsonDocument.ParseAsync(await limited.Content.ReadAsStreamAsync())).RootElement.GetProperty("error");
        Assert.Equal("client_rate_limited", error.GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.TooManyRequests, anthropicLimited.StatusCode);
        Assert.Equal("rate_limit_error", (await JsonDocument.ParseAsync(await anthropicLimited.Content.ReadAsStreamAsync())).RootElement.GetProperty("error").GetProperty("type").GetString());
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.Equal(3, gateway["groq"].CallCount);
    }

    [Fact]
    public async Task Models_OutsideTheAllowance_403AndListShowsOnlyTheAllowed()
    {
        await using var gateway = await StartAsync(Client("team-a", TeamKey) with { AllowedModels = ["chain"] });

        using var allowed = await gateway.Http.SendAsync(Chat(bearer: TeamKey));
        using var direct = await gateway.Http.SendAsync(Chat(bearer: TeamKey, model: "groq/llama-3.3-70b-versatile"));
        using var list = new HttpRequestMessage(HttpMethod.Get, "/v1/models");
        list.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TeamKey);
        using var models = await gateway.Http.SendAsync(list);

        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, direct.StatusCode);
        var error = (await JsonDocument.ParseAsync(await direct.Content.ReadAsStreamAsync())).RootElement.GetProperty("error");
        Assert.Equal(("permission_error", "model_not_allowed", "model"), (error.GetProperty("type").GetString(), error.GetProperty("code").GetString(), error.GetProperty("param").GetString()));
        Assert.Contains("may use: chain", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        var ids = (await JsonDocument.ParseAsync(await models.Content.ReadAsStreamAsync())).RootElement.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString());
        Assert.Equal(["chain"], ids);
        Assert.Equal(1, gateway["groq"].CallCount);
    }

    [Fact]
    public async Task AdminClients_ShowsAllowanceAndSpendButNeverKeyOrHash()
    {
        await using var gateway = await StartAsync(Client("team-a", TeamKey) with { BudgetUsdPerDay = 5m, RequestsPerMinute = 60, NoTrain = true });

        var json = await gateway.Http.GetStringAsync("/admin/clients");

        var client = Assert.Single(JsonDocument.Parse(json).RootElement.EnumerateArray());
        Assert.Equal("team-a", client.GetProperty("id").GetString());
        Assert.Equal("no-train", client.GetProperty("data_policy").GetString());
        Assert.Equal(60, client.GetProperty("rpm").GetInt32());
        Assert.Equal(5m, client.GetProperty("budget").GetProperty("usd_per_day").GetDecimal());
        Assert.Equal(0m, client.GetProperty("budget").GetProperty("spent_today_usd").GetDecimal());
        Assert.DoesNotContain(TeamKey, json, StringComparison.Ordinal);
        Assert.DoesNotContain(ClientKeyHash.Of(TeamKey), json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoClientsConfigured_LoopbackCallerIsServedWithoutAKey()
    {
        await using var gateway = await StartAsync();

        using var response = await gateway.Http.SendAsync(Chat());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("1", response.Headers.GetValues(SpillwayHeaders.Attempts).Single());
    }
}
