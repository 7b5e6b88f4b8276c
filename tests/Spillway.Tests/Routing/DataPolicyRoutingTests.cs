using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Spillway.Core.Configuration;
using Spillway.Core.Engine;
using Spillway.Core.Ledger;
using Spillway.Core.Providers;
using Spillway.Simulator;
using Spillway.Tests.Support;

namespace Spillway.Tests.Routing;

/// <summary>
/// Free-only and no-train routing on a live gateway, asked by a request header or set on the client: the routes
/// ruled out are recorded as skips with no call, and a request nothing is left for gets a clear error.
/// </summary>
public sealed class DataPolicyRoutingTests
{
    private const string Key = "sk-spill-policy-client-0123456789";

    /// <summary>openrouter (a free <c>:free</c> model, which may train), groq (free, does not) and openai (paid).</summary>
    private static Task<TestGateway> StartAsync(ClientKeyConfig? client = null) => TestGateway.StartAsync(
        [new SimulatedProvider("openrouter", SimulatorStyle.OpenRouter), new SimulatedProvider("groq", SimulatorStyle.Groq), new SimulatedProvider("openai")],
        (_, config) => config with
        {
            Providers = [.. config.Providers.Select(p => p.Id == "openrouter" ? p with { PresetTraining = PromptTraining.FreeModels } : p)],
            Models =
            [
                .. config.Models,
                new ModelAliasConfig("trains", RoutingStrategy.Ordered, ["openrouter/meta-llama/llama-3.3-70b-instruct:free"]),
                new ModelAliasConfig("paid-last", RoutingStrategy.Ordered, ["openrouter/meta-llama/llama-3.3-70b-instruct:free", "openai/gpt-4o-mini"]),
            ],
            Auth = client is null ? config.Auth : config.Auth with { Clients = [client] },
        });

    private static HttpRequestMessage Chat(string model, string? key = null, string? dataPolicy = null, string? maxTier = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = TestGateway.ChatBody(model) };
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        if (dataPolicy is not null)
        {
            request.Headers.Add(SpillwayHeaders.DataPolicy, dataPolicy);
        }

        if (maxTier is not null)
        {
            request.Headers.Add(SpillwayHeaders.MaxTier, maxTier);
        }

        return request;
    }

    private static async Task<string[]> OutcomesAsync(TestGateway gateway) =>
        [.. (await gateway.LedgerAsync(1))[0].GetProperty("attempts").EnumerateArray().Select(a => a.GetProperty("outcome").GetString()!)];

    [Fact]
    public async Task NoTrainHeader_SkipsTheTrainingRouteAndServesFromTheNext()
    {
        await using var gateway = await StartAsync();

        using var response = await gateway.Http.SendAsync(Chat("chain", dataPolicy: "no-train"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("groq/llama-3.3-70b-versatile", response.Headers.GetValues(SpillwayHeaders.Route).Single());
        Assert.Equal(0, gateway["openrouter"].CallCount);
        Assert.Equal([Outcomes.SkippedPolicy, "ok"], await OutcomesAsync(gateway));
    }

    [Fact]
    public async Task NoTrainClient_SkipsTheTrainingRouteWithoutTheHeader()
    {
        await using var gateway = await StartAsync(new ClientKeyConfig("careful", ClientKeyHash.Of(Key)) { NoTrain = true });

        using var response = await gateway.Http.SendAsync(Chat("chain", Key));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, gateway["openrouter"].CallCount);
    }

    [Fact]
    public async Task NoTrain_NothingElseLeft_403InTheCallersFormatSayingWhy()
    {
        await using var gateway = await StartAsync();

        using var openai = await gateway.Http.SendAsync(Chat("trains", dataPolicy: "no-train"));
        using var anthropicRequest = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = TestGateway.MessagesBody("trains") };
        anthropicRequest.Headers.Add(SpillwayHeaders.DataPolicy, "no-train");
        using var anthropic = await gateway.Http.SendAsync(anthropicRequest);

        Assert.Equal(HttpStatusCode.Forbidden, openai.StatusCode);
        var error = JsonDocument.Parse(await openai.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.Equal("no_route_allowed", error.GetProperty("code").GetString());
        Assert.Contains("may train on prompts; the request asks no-train", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, anthropic.StatusCode);
        Assert.Equal("permission_error", JsonDocument.Parse(await anthropic.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetProperty("type").GetString());
        Assert.Equal(0, gateway["openrouter"].CallCount);
    }

    [Fact]
    public async Task FreeOnlyClient_QuotaSpentOnFreeRoute_NeverSpillsToPaid()
    {
        await using var gateway = await StartAsync(new ClientKeyConfig("free-only", ClientKeyHash.Of(Key)) { AllowPaid = false });
        gateway["openrouter"].Enqueue(SimulatedFault.QuotaExhausted());

        using var response = await gateway.Http.SendAsync(Chat("paid-last", Key));

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(0, gateway["openai"].CallCount);
        Assert.Equal([Outcomes.SkippedBudget, "quota_exhausted"], await OutcomesAsync(gateway));
    }

    [Fact]
    public async Task FreeOnlyHeaderAndNoTrain_BothNarrowAPaidAndTrainingChainToNothing()
    {
        await using var gateway = await StartAsync();

        using var response = await gateway.Http.SendAsync(Chat("paid-last", dataPolicy: "no-train", maxTier: "free"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(0, gateway["openai"].CallCount + gateway["openrouter"].CallCount);
        Assert.Equal([Outcomes.SkippedPolicy, Outcomes.SkippedBudget], await OutcomesAsync(gateway));
    }

    [Fact]
    public async Task KeyMarkedNoTrain_BeatsThePresetsTerms()
    {
        await using var gateway = await TestGateway.StartAsync(
            [new SimulatedProvider("openrouter", SimulatorStyle.OpenRouter)],
            (_, config) => config with
            {
                Providers = [.. config.Providers.Select(p => p with
                {
                    PresetTraining = PromptTraining.FreeModels,
                    Keys = [.. p.Keys.Select(k => k with { MayTrainOnPrompts = false })],
                })],
            });

        using var response = await gateway.Http.SendAsync(Chat("chain", dataPolicy: "no-train"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, gateway["openrouter"].CallCount);
    }
}
