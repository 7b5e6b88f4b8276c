using System.Net;
using System.Text;
using System.Text.Json;
using Spillway.Core.Codecs.Anthropic;
using Spillway.Core.Engine;
using Spillway.Core.Tokens;
using Spillway.Simulator;
using Spillway.Tests.Support;

namespace Spillway.Tests.Endpoints;

/// <summary><c>POST /v1/messages/count_tokens</c> on real loopback HTTP, counted by each kind of upstream or locally.</summary>
public sealed class CountTokensEndpointTests
{
    private const string Path = "/v1/messages/count_tokens";

    private const string Conversation =
        "\"system\":\"You answer questions about the weather.\"," +
        "\"tools\":[{\"name\":\"get_weather\",\"description\":\"Current weather in a city.\",\"input_schema\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}}]," +
        "\"messages\":[{\"role\":\"user\",\"content\":\"Weather in Paris?\"}," +
        "{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"get_weather\",\"input\":{\"city\":\"Paris\"}}]}," +
        "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_1\",\"content\":\"Sunny, 24 degrees.\"}]}]";

    [Fact]
    public async Task CountTokens_AnthropicUpstream_ForwardsWithTheRouteModelAndRelaysItsCount()
    {
        await using var gateway = await TestGateway.StartAsync([new SimulatedProvider("up", SimulatorStyle.Anthropic)]);

        using var response = await CountAsync(gateway, CountBody("chain"));
        var count = await InputTokensAsync(response);
        using var message = await gateway.MessagesAsync("chain", extra: "," + Conversation);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("up/claude-haiku-4-5", Header(response, SpillwayHeaders.Route));
        Assert.Equal("1", Header(response, SpillwayHeaders.Attempts));
        var call = gateway["up"].Calls[0];
        Assert.Equal("/up/v1/messages/count_tokens", call.Path);
        Assert.Equal("claude-haiku-4-5", call.Model);
        Assert.DoesNotContain("\"chain\"", Encoding.UTF8.GetString(call.Body), StringComparison.Ordinal);
        Assert.Equal(await UsageInputTokensAsync(message), count);
    }

    [Fact]
    public async Task CountTokens_GeminiUpstream_AnswersItsTotalTokens()
    {
        await using var gateway = await TestGateway.StartAsync([new SimulatedProvider("gem", SimulatorStyle.GeminiNative)]);

        using var response = await CountAsync(gateway, CountBody("chain"));
        var count = await InputTokensAsync(response);
        using var message = await gateway.MessagesAsync("chain", extra: "," + Conversation);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("gem/gemini-2.5-flash", Header(response, SpillwayHeaders.Route));
        Assert.Equal("/gem/v1beta/models/gemini-2.5-flash:countTokens", gateway["gem"].Calls[0].Path);
        Assert.Contains("\"systemInstruction\"", Encoding.UTF8.GetString(gateway["gem"].Calls[0].Body), StringComparison.Ordinal);
        Assert.Equal(await UsageInputTokensAsync(message), count);
    }

    [Fact]
    public async Task CountTokens_OpenAIUpstream_CountsLocallyWithoutACall()
    {
        await using var gateway = await TestGateway.StartAsync([new SimulatedProvider("oa", SimulatorStyle.OpenAI)]);

        using var response = await CountAsync(gateway, CountBody("chain"));
        var count = await InputTokensAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(LocalCount(), count);
        Assert.Equal("0", Header(response, SpillwayHeaders.Attempts));
        Assert.Null(Header(response, SpillwayHeaders.Route));
        Assert.Null(Header(response, SpillwayHeaders.Tried));
        Assert.Equal(0, gateway["oa"].CallCount);
    }

    [Fact]
    public async Task CountTokens_AnthropicRateLimited_FallsBackToTheNextUpstream()
    {
        await using var gateway = await TestGateway.StartAsync(
            [new SimulatedProvider("up", SimulatorStyle.Anthropic), new SimulatedProvider("gem", SimulatorStyle.GeminiNative)]);
        gateway["up"].Enqueue(SimulatedFault.RateLimited(TimeSpan.FromSeconds(30)));

        using var response = await CountAsync(gateway, CountBody("chain"));
        var count = await InputTokensAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("gem/gemini-2.5-flash", Header(response, SpillwayHeaders.Route));
        Assert.Equal("2", Header(response, SpillwayHeaders.Attempts));
        Assert.Equal("up/claude-haiku-4-5,gem/gemini-2.5-flash", Header(response, SpillwayHeaders.Tried));
        Assert.Equal((1, 1), (gateway["up"].CallCount, gateway["gem"].CallCount));
        Assert.True(count > 0);
    }

    [Fact]
    public async Task CountTokens_EveryUpstreamFails_CountsLocally()
    {
        await using var gateway = await TestGateway.StartAsync(
            [new SimulatedProvider("up", SimulatorStyle.Anthropic), new SimulatedProvider("gem", SimulatorStyle.GeminiNative)]);
        gateway["up"].Enqueue(SimulatedFault.Overloaded());
        gateway["gem"].Enqueue(SimulatedFault.FailMidStream(0));

        using var response = await CountAsync(gateway, CountBody("chain"));
        var count = await InputTokensAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(LocalCount(), count);
        Assert.Equal("2", Header(response, SpillwayHeaders.Attempts));
        Assert.Null(Header(response, SpillwayHeaders.Route));
        Assert.Equal("up/claude-haiku-4-5,gem/gemini-2.5-flash", Header(response, SpillwayHeaders.Tried));
    }

    [Fact]
    public async Task CountTokens_KeyCoolingAfterAChatCall_IsSkipped()
    {
        await using var gateway = await TestGateway.StartAsync(
            [new SimulatedProvider("up", SimulatorStyle.Anthropic), new SimulatedProvider("gem", SimulatorStyle.GeminiNative)]);
        gateway["up"].Enqueue(SimulatedFault.RateLimited(TimeSpan.FromSeconds(60)));
        using (var message = await gateway.MessagesAsync("chain"))
        {
            Assert.Equal(HttpStatusCode.OK, message.StatusCode);
        }

        using var response = await CountAsync(gateway, CountBody("chain"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("gem/gemini-2.5-flash", Header(response, SpillwayHeaders.Route));
        Assert.Equal("1", Header(response, SpillwayHeaders.Attempts));
        Assert.Equal(1, gateway["up"].CallCount);
    }

    [Fact]
    public async Task CountTokens_AnthropicRefusesTheRequest_RelaysItsError()
    {
        await using var gateway = await TestGateway.StartAsync(
            [new SimulatedProvider("up", SimulatorStyle.Anthropic), new SimulatedProvider("gem", SimulatorStyle.GeminiNative)]);
        gateway["up"].Enqueue(SimulatedFault.ContextLengthExceeded());

        using var response = await CountAsync(gateway, CountBody("chain"));
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("error", json.RootElement.GetProperty("type").GetString());
        Assert.Equal("invalid_request_error", json.RootElement.GetProperty("error").GetProperty("type").GetString());
        Assert.Contains("prompt is too long", json.RootElement.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, gateway["gem"].CallCount);
    }

    [Theory]
    [InlineData("{not json", 400, "invalid_request_error")]
    [InlineData("{\"model\":\"chain\"}", 400, "invalid_request_error")]
    [InlineData("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", 400, "invalid_request_error")]
    [InlineData("{\"model\":\"chain\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"tool_choice\":{\"type\":\"sometimes\"}}", 400, "invalid_request_error")]
    [InlineData("{\"model\":\"no-such-alias\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", 404, "not_found_error")]
    [InlineData("{\"model\":\"nope/nothing\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", 404, "not_found_error")]
    public async Task CountTokens_BadRequest_AnthropicErrorWithoutCallingUpstream(string body, int status, string type)
    {
        await using var gateway = await TestGateway.StartAsync([new SimulatedProvider("up", SimulatorStyle.Anthropic)]);

        using var response = await CountAsync(gateway, body);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("error", json.RootElement.GetProperty("type").GetString());
        Assert.Equal(type, json.RootElement.GetProperty("error").GetProperty("type").GetString());
        Assert.False(string.IsNullOrWhiteSpace(json.RootElement.GetProperty("error").GetProperty("message").GetString()));
        Assert.Equal(0, gateway["up"].CallCount);
    }

    [Fact]
    public async Task Messages_StillRequiresMaxTokens()
    {
        await using var gateway = await TestGateway.StartAsync([new SimulatedProvider("up", SimulatorStyle.Anthropic)]);

        using var response = await gateway.Http.PostAsync("/v1/messages", Json(CountBody("chain")));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("max_tokens", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static string CountBody(string model) => "{\"model\":\"" + model + "\"," + Conversation + "}";

    private static long LocalCount() =>
        LocalTokenCounter.Count(AnthropicRequestDecoder.DecodeCountTokens(Encoding.UTF8.GetBytes(CountBody("chain"))).Value);

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static Task<HttpResponseMessage> CountAsync(TestGateway gateway, string body) => gateway.Http.PostAsync(Path, Json(body));

    private static async Task<long> InputTokensAsync(HttpResponseMessage response)
    {
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.TryGetProperty("input_tokens", out var count) ? count.GetInt64() : -1;
    }

    private static async Task<long> UsageInputTokensAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("usage").GetProperty("input_tokens").GetInt64();
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;
}
