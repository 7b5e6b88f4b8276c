using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Anthropic;
using OpenAI;
using OpenAI.Models;
using Spillway.Core.Configuration;
using Spillway.Simulator;
using Spillway.Tests.Support;

namespace Spillway.Tests.Endpoints;

/// <summary><c>GET /v1/models/{id}</c>: one entry of the list, in OpenAI's shape or Anthropic's, over loopback HTTP.</summary>
public sealed class OpenAIEndpointsModelTests
{
    private const string OpenRouterRoute = "openrouter/meta-llama/llama-3.3-70b-instruct:free";

    private static Task<TestGateway> StartAsync() => TestGateway.StartAsync(
        [new SimulatedProvider("groq", SimulatorStyle.Groq), new SimulatedProvider("openrouter", SimulatorStyle.OpenRouter)]);

    private static HttpRequestMessage Get(string path, bool anthropic = false, string? bearer = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (anthropic)
        {
            request.Headers.Add("anthropic-version", "2023-06-01");
        }

        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        return request;
    }

    private static async Task<(HttpStatusCode Status, JsonElement Json)> SendAsync(TestGateway gateway, HttpRequestMessage request)
    {
        using (request)
        {
            using var response = await gateway.Http.SendAsync(request);
            using var json = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync());
            return (response.StatusCode, json.RootElement.Clone());
        }
    }

    [Theory]
    [InlineData("chain", "spillway")]
    [InlineData("groq/llama-3.3-70b-versatile", "groq")]
    [InlineData(OpenRouterRoute, "openrouter")]
    public async Task Model_AnAliasOrRoute_AnswersTheListsEntryInOpenAIShape(string id, string owner)
    {
        await using var gateway = await StartAsync();

        var (status, json) = await SendAsync(gateway, Get("/v1/models/" + id));
        var (_, list) = await SendAsync(gateway, Get("/v1/models"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(id, json.GetProperty("id").GetString());
        Assert.Equal("model", json.GetProperty("object").GetString());
        Assert.Equal(owner, json.GetProperty("owned_by").GetString());
        var entry = list.GetProperty("data").EnumerateArray().Single(m => m.GetProperty("id").GetString() == id);
        Assert.Equal(entry.GetRawText(), json.GetRawText());
    }

    [Fact]
    public async Task Model_PercentEncodedSlashes_FindsTheRoute()
    {
        await using var gateway = await StartAsync();

        var (status, json) = await SendAsync(gateway, Get("/v1/models/" + Uri.EscapeDataString(OpenRouterRoute)));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(OpenRouterRoute, json.GetProperty("id").GetString());
    }

    [Fact]
    public async Task Model_WithAnthropicVersion_AnswersTheListsEntryInAnthropicShape()
    {
        await using var gateway = await StartAsync();

        var (status, json) = await SendAsync(gateway, Get("/v1/models/groq/llama-3.3-70b-versatile", anthropic: true));
        var (_, list) = await SendAsync(gateway, Get("/v1/models", anthropic: true));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("model", json.GetProperty("type").GetString());
        Assert.Equal("groq/llama-3.3-70b-versatile", json.GetProperty("id").GetString());
        var entry = list.GetProperty("data").EnumerateArray().Single(m => m.GetProperty("id").GetString() == "groq/llama-3.3-70b-versatile");
        Assert.Equal(entry.GetRawText(), json.GetRawText());
    }

    [Fact]
    public async Task Model_Unknown_404ModelNotFoundInOpenAIShape()
    {
        await using var gateway = await StartAsync();

        var (status, json) = await SendAsync(gateway, Get("/v1/models/groq/no-such-model"));

        Assert.Equal(HttpStatusCode.NotFound, status);
        var error = json.GetProperty("error");
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal("model_not_found", error.GetProperty("code").GetString());
        Assert.Contains("groq/no-such-model", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Model_UnknownWithAnthropicVersion_404NotFoundErrorInAnthropicShape()
    {
        await using var gateway = await StartAsync();

        var (status, json) = await SendAsync(gateway, Get("/v1/models/no-such-model", anthropic: true));

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("error", json.GetProperty("type").GetString());
        Assert.Equal("not_found_error", json.GetProperty("error").GetProperty("type").GetString());
    }

    [Fact]
    public async Task Model_OutsideTheClientsAllowance_404AsIfUnknown()
    {
        const string teamKey = "sk-spill-team-a-0123456789abcdef";
        await using var gateway = await TestGateway.StartAsync(
            [new SimulatedProvider("groq", SimulatorStyle.Groq)],
            (_, config) => config with
            {
                Auth = config.Auth with { Clients = [new ClientKeyConfig("team-a", ClientKeyHash.Of(teamKey)) { AllowedModels = ["chain"] }] },
            });

        var (allowed, _) = await SendAsync(gateway, Get("/v1/models/chain", bearer: teamKey));
        var (outside, json) = await SendAsync(gateway, Get("/v1/models/groq/llama-3.3-70b-versatile", bearer: teamKey));
        var (anonymous, _) = await SendAsync(gateway, Get("/v1/models/chain"));

        Assert.Equal(HttpStatusCode.OK, allowed);
        Assert.Equal(HttpStatusCode.NotFound, outside);
        Assert.Equal("model_not_found", json.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous);
    }

    [Fact]
    public async Task Model_EmptyId_IsStillTheList()
    {
        await using var gateway = await StartAsync();

        var (status, json) = await SendAsync(gateway, Get("/v1/models/"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("list", json.GetProperty("object").GetString());
    }

    [Fact]
    public async Task Model_PostOnAModelPath_IsNotTakenForARetrieve()
    {
        await using var gateway = await StartAsync();

        using var chat = await gateway.Http.PostAsync("/v1/chat/completions", TestGateway.ChatBody("chain"));
        var (post, _) = await SendAsync(gateway, new HttpRequestMessage(HttpMethod.Post, "/v1/models/chain"));

        Assert.Equal(HttpStatusCode.OK, chat.StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, post);
    }

    [Theory]
    [InlineData("chain")]
    [InlineData(OpenRouterRoute)]
    public async Task Model_OpenAISdkGetModel_ReturnsTheModel(string id)
    {
        await using var gateway = await StartAsync();
        var client = new OpenAIModelClient(new ApiKeyCredential("not-needed-on-loopback"), new OpenAIClientOptions
        {
            Endpoint = new Uri(gateway.Address, "/v1"),
            NetworkTimeout = TimeSpan.FromSeconds(30),
            RetryPolicy = new ClientRetryPolicy(0),
        });

        OpenAIModel model = await client.GetModelAsync(id);

        Assert.Equal(id, model.Id);
        Assert.Equal(id == "chain" ? "spillway" : "openrouter", model.OwnedBy);
    }

    [Theory]
    [InlineData("chain")]
    [InlineData(OpenRouterRoute)]
    public async Task Model_AnthropicSdkRetrieve_ReturnsTheModel(string id)
    {
        await using var gateway = await StartAsync();
        var client = new AnthropicClient
        {
            BaseUrl = gateway.Address.ToString().TrimEnd('/'),
            ApiKey = "not-needed-on-loopback",
            MaxRetries = 0,
            Timeout = TimeSpan.FromSeconds(30),
        };

        var model = await client.Models.Retrieve(id);

        Assert.Equal(id, model.ID);
        Assert.Equal(id, model.DisplayName);
    }
}
