using static Spillway.Tests.Endpoints.OpenAIEndpointsFallbackTests;
using System.Collections.Immutable;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Spillway.Core.Configuration;
using Spillway.Core.Engine;
using Spillway.Core.Providers;
using Spillway.Core.Providers.Presets;
using Spillway.Simulator;
using Spillway.Tests.Support;

namespace Spillway.Tests.Routing;

/// <summary>The planner end to end: capability skips made before any call, and keys taking turns.</summary>
public sealed class RoutePlanningTests
{
    private const string ImageMessage =
        ""","messages":[{"role":"user","content":[{"type":"text","text":"What is this?"},{"type":"image_url","image_url":{"url":"https://img.example.test/cat.png"}}]}]""";

    private const string Tool = ""","tools":[{"type":"function","function":{"name":"lookup","parameters":{"type":"object"}}}]""";

    // Groq with what its preset says of its models: llama-3.3-70b-versatile reads text only.
    private static SpillwayConfig WithGroqPreset(ProviderSimulator simulator, SpillwayConfig config) => config with
    {
        Providers = [.. config.Providers.Select(p => p.Id == "groq" ? p with { Capabilities = ProviderPresets.Find("groq")!.Capabilities } : p)],
    };

    private static SpillwayConfig WithoutTools(ProviderSimulator simulator, SpillwayConfig config) => config with
    {
        Providers =
        [
            .. config.Providers.Select(p => p with
            {
                Capabilities = ImmutableDictionary<string, ModelCapabilities>.Empty.Add(p.Models[0], new ModelCapabilities(Tools: false)),
            }),
        ],
    };

    private static StringContent ChatWith(string model, string body) =>
        new($$"""{"model":"{{model}}"{{body}}}""", System.Text.Encoding.UTF8, "application/json");

    [Fact]
    public async Task ImageRequest_SkipsTheRouteWhosePresetSaysTextOnlyWithoutCallingIt()
    {
        await using var gateway = await TestGateway.StartAsync(
            [new SimulatedProvider("groq", SimulatorStyle.Groq), new SimulatedProvider("openai")], WithGroqPreset);

        using var response = await gateway.Http.PostAsync("/v1/chat/completions", ChatWith("chain", ImageMessage));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("openai/gpt-4o-mini", Header(response, SpillwayHeaders.Route));
        Assert.Equal("1", Header(response, SpillwayHeaders.Attempts));
        Assert.Equal(0, gateway["groq"].CallCount);
        var attempts = (await gateway.LedgerAsync())[0].GetProperty("attempts");
        var skip = attempts[0];
        Assert.Equal("groq/llama-3.3-70b-versatile", skip.GetProperty("route").GetString());
        Assert.Equal("skipped_capability", skip.GetProperty("outcome").GetString());
        Assert.Equal("ok", attempts[1].GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task ToolRequest_RouteWhosePresetTakesTools_ServedThere()
    {
        await using var gateway = await TestGateway.StartAsync(
            [new SimulatedProvider("groq", SimulatorStyle.Groq), new SimulatedProvider("openai")], WithGroqPreset);

        using var response = await gateway.ChatAsync("chain", extra: Tool);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("groq/llama-3.3-70b-versatile", Header(response, SpillwayHeaders.Route));
    }

    [Fact]
    public async Task ToolRequest_NoRouteTakesTools_400InOpenAIFormatNamingTheCapability()
    {
        await using var gateway = await TestGateway.StartAsync(
            [new SimulatedProvider("groq", SimulatorStyle.Groq), new SimulatedProvider("openai")], WithoutTools);

        using var response = await gateway.ChatAsync("chain", extra: Tool);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal("unsupported_capability", error.GetProperty("code").GetString());
        Assert.Contains("does not support tool calling", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("0", Header(response, SpillwayHeaders.Attempts));
        Assert.Equal(0, gateway["groq"].CallCount + gateway["openai"].CallCount);
    }

    [Fact]
    public async Task ToolRequest_AnthropicClient_400InAnthropicFormat()
    {
        await using var gateway = await TestGateway.StartAsync([new SimulatedProvider("openai")], WithoutTools);
        const string tools = ""","tools":[{"name":"lookup","input_schema":{"type":"object"}}]""";

        using var response = await gateway.MessagesAsync("chain", extra: tools);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("error", body.GetProperty("type").GetString());
        Assert.Equal("invalid_request_error", body.GetProperty("error").GetProperty("type").GetString());
        Assert.Contains("does not support tool calling", body.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, gateway["openai"].CallCount);
    }

    [Fact]
    public async Task RoundRobin_TwoKeysOfOneProvider_TakeTurns()
    {
        const string second = "sk-test-second-key-for-openai-abcd";
        await using var gateway = await TestGateway.StartAsync(
            [new SimulatedProvider("openai")],
            (_, config) => config with
            {
                Providers =
                [
                    config.Providers[0] with
                    {
                        KeySelection = KeySelection.RoundRobin,
                        Keys = [config.Providers[0].Keys[0], new KeyConfig("openai-key-2", new Secret(second), KeyTier.Paid, KeyLimits.Unknown)],
                    },
                ],
            });

        for (var i = 0; i < 4; i++)
        {
            using var response = await gateway.ChatAsync("chain");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(2, gateway["openai"].CallsFor(TestGateway.SecretOf("openai")).Count);
        Assert.Equal(2, gateway["openai"].CallsFor(second).Count);
    }

    [Fact]
    public async Task FillFirst_TwoKeysOfOneProvider_FirstKeyTakesEverything()
    {
        const string second = "sk-test-second-key-for-openai-abcd";
        await using var gateway = await TestGateway.StartAsync(
            [new SimulatedProvider("openai")],
            (_, config) => config with
            {
                Providers =
                [
                    config.Providers[0] with
                    {
                        Keys = [config.Providers[0].Keys[0], new KeyConfig("openai-key-2", new Secret(second), KeyTier.Paid, KeyLimits.Unknown)],
                    },
                ],
            });

        for (var i = 0; i < 3; i++)
        {
            using var response = await gateway.ChatAsync("chain");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(3, gateway["openai"].CallsFor(TestGateway.SecretOf("openai")).Count);
        Assert.Empty(gateway["openai"].CallsFor(second));
    }
}
