using System.Net;
using System.Text.Json.Nodes;
using Spillway.TestSupport;

namespace Spillway.Simulator.Tests;

public sealed class AnthropicMessagesEndpointTests
{
    private static readonly HttpClient Client = new();

    [Fact]
    public async Task Post_ValidRequest_ReturnsMessageWithEveryRecordedMember()
    {
        await using var simulator = await ProviderSimulator.StartAsync([new SimulatedProvider("anth", SimulatorStyle.Anthropic)]);

        using var response = await AnthropicCalls.PostAsync(Client, simulator.RootUrlOf("anth"), AnthropicCalls.Body());
        var json = await SimulatorCalls.JsonAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("spillway-simulator", SimulatorCalls.Header(response, "x-simulator"));
        Assert.Empty(SimulatorCalls.MissingMembers(SimulatorCalls.FixtureBody("anthropic-messages-200-with-ratelimit-headers.txt"), json));
        Assert.StartsWith("msg_sim", (string)json["id"]!, StringComparison.Ordinal);
        Assert.Equal("message", (string?)json["type"]);
        Assert.Equal("claude-sim", (string?)json["model"]);
        var block = json["content"]!.AsArray().Single()!;
        Assert.Equal("text", (string?)block["type"]);
        Assert.Equal(simulator["anth"].ReplyText, (string?)block["text"]);
        Assert.Contains("simulated", (string)block["text"]!, StringComparison.Ordinal);
        Assert.Equal("end_turn", (string?)json["stop_reason"]);
        Assert.Null(json["stop_sequence"]);
        var usage = json["usage"]!;
        Assert.True((int)usage["input_tokens"]! > 0);
        Assert.True((int)usage["output_tokens"]! > 0);
        Assert.Equal(0, (int)usage["cache_creation_input_tokens"]!);
        Assert.Equal(0, (int)usage["cache_read_input_tokens"]!);
    }

    [Fact]
    public async Task Post_ValidRequest_SendsEveryRecordedRateLimitHeaderAndARequestId()
    {
        await using var simulator = await ProviderSimulator.StartAsync([new SimulatedProvider("anth", SimulatorStyle.Anthropic)]);

        using var response = await AnthropicCalls.PostAsync(Client, simulator.RootUrlOf("anth"), AnthropicCalls.Body());

        var recorded = Fixtures.ReadText("anthropic-messages-200-with-ratelimit-headers.txt").Split('\n')
            .Where(line => line.StartsWith("anthropic-ratelimit-", StringComparison.Ordinal))
            .Select(line => line[..line.IndexOf(':', StringComparison.Ordinal)])
            .ToList();
        Assert.Equal(12, recorded.Count);
        foreach (var name in recorded)
        {
            var value = SimulatorCalls.Header(response, name);
            Assert.NotNull(value);
            if (name.EndsWith("-reset", StringComparison.Ordinal))
            {
                Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$", value);
            }
        }

        Assert.Equal("1000", SimulatorCalls.Header(response, "anthropic-ratelimit-requests-limit"));
        Assert.Equal("999", SimulatorCalls.Header(response, "anthropic-ratelimit-requests-remaining"));
        Assert.Equal("80000", SimulatorCalls.Header(response, "anthropic-ratelimit-input-tokens-limit"));
        Assert.Equal("80000", SimulatorCalls.Header(response, "anthropic-ratelimit-input-tokens-remaining"));
        Assert.StartsWith("req_", SimulatorCalls.Header(response, "request-id"), StringComparison.Ordinal);
        Assert.Null(SimulatorCalls.Header(response, "retry-after"));
    }

    [Fact]
    public async Task Post_Stream_SendsTheRecordedEventSequence()
    {
        await using var simulator = await ProviderSimulator.StartAsync([new SimulatedProvider("anth", SimulatorStyle.Anthropic)]);

        using var response = await AnthropicCalls.PostAsync(Client, simulator.RootUrlOf("anth"), AnthropicCalls.Body(stream: true));
        var events = AnthropicCalls.Events(await response.Content.ReadAsStringAsync());
        var recorded = AnthropicCalls.Events(Fixtures.ReadText("anthropic-messages-stream-text.sse"));

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(
            ["message_start", "content_block_start", "ping", "content_block_delta", "content_block_stop", "message_delta", "message_stop"],
            AnthropicCalls.Shape(events));
        Assert.Equal(AnthropicCalls.Shape(recorded), AnthropicCalls.Shape(events));
        Assert.All(events, pair => Assert.Equal(pair.Event, (string?)pair.Data["type"]));
        Assert.True(events.Count(pair => pair.Event == "content_block_delta") > 1);
        for (var i = 0; i < recorded.Count; i++)
        {
            var sameEvent = events.First(pair => pair.Event == recorded[i].Event);
            Assert.Empty(SimulatorCalls.MissingMembers(recorded[i].Data, sameEvent.Data));
        }

        var start = events[0].Data["message"]!;
        Assert.StartsWith("msg_sim", (string)start["id"]!, StringComparison.Ordinal);
        Assert.Empty(start["content"]!.AsArray());
        Assert.Null(start["stop_reason"]);
        var text = string.Concat(events.Where(pair => pair.Event == "content_block_delta")
            .Select(pair => (string)pair.Data["delta"]!["text"]!));
        Assert.Equal(simulator["anth"].ReplyText, text);
        var delta = events.Single(pair => pair.Event == "message_delta").Data;
        Assert.Equal("end_turn", (string?)delta["delta"]!["stop_reason"]);
        Assert.True((int)delta["usage"]!["output_tokens"]! > 1);
    }

    [Fact]
    public async Task Post_WithTools_ReturnsToolUseBlockWithSchemaShapedInput()
    {
        await using var simulator = await ProviderSimulator.StartAsync([new SimulatedProvider("anth", SimulatorStyle.Anthropic)]);

        using var response = await AnthropicCalls.PostAsync(Client, simulator.RootUrlOf("anth"), AnthropicCalls.Body(extraMembers: AnthropicCalls.WeatherTool));
        var json = await SimulatorCalls.JsonAsync(response);

        Assert.Equal("tool_use", (string?)json["stop_reason"]);
        var block = json["content"]!.AsArray().Single()!;
        Assert.Equal("tool_use", (string?)block["type"]);
        Assert.StartsWith("toolu_", (string)block["id"]!, StringComparison.Ordinal);
        Assert.Equal("get_weather", (string?)block["name"]);
        Assert.IsType<JsonObject>(block["input"]);
        Assert.Equal("simulated", (string?)block["input"]!["location"]);
        Assert.Equal(1, (int)block["input"]!["days"]!);
    }

    [Fact]
    public async Task Post_WithToolsStream_StreamsInputJsonDeltasThatParseToTheInput()
    {
        await using var simulator = await ProviderSimulator.StartAsync([new SimulatedProvider("anth", SimulatorStyle.Anthropic)]);

        using var response = await AnthropicCalls.PostAsync(
            Client, simulator.RootUrlOf("anth"), AnthropicCalls.Body(stream: true, extraMembers: AnthropicCalls.WeatherTool));
        var events = AnthropicCalls.Events(await response.Content.ReadAsStringAsync());

        var blockStart = events.Single(pair => pair.Event == "content_block_start").Data["content_block"]!;
        Assert.Equal("tool_use", (string?)blockStart["type"]);
        Assert.Equal("get_weather", (string?)blockStart["name"]);
        Assert.Empty(blockStart["input"]!.AsObject());
        var pieces = events.Where(pair => pair.Event == "content_block_delta").Select(pair => pair.Data["delta"]!).ToList();
        Assert.All(pieces, piece => Assert.Equal("input_json_delta", (string?)piece["type"]));
        Assert.Equal(string.Empty, (string?)pieces[0]["partial_json"]);
        var input = JsonNode.Parse(string.Concat(pieces.Select(piece => (string)piece["partial_json"]!)))!;
        Assert.Equal("simulated", (string?)input["location"]);
        Assert.Equal("tool_use", (string?)events.Single(pair => pair.Event == "message_delta").Data["delta"]!["stop_reason"]);
        Assert.Equal("message_stop", events[^1].Event);
    }

    [Theory]
    [InlineData("{\"type\":\"auto\"}", "text")]
    [InlineData("{\"type\":\"any\"}", "tool_use")]
    public async Task Post_ToolResultIsTheLastTurn_AnswersWithTextUnlessForced(string toolChoice, string expectedBlock)
    {
        await using var simulator = await ProviderSimulator.StartAsync([new SimulatedProvider("anth", SimulatorStyle.Anthropic)]);
        var body = "{\"model\":\"claude-sim\",\"max_tokens\":100," + AnthropicCalls.WeatherTool + ",\"tool_choice\":" + toolChoice + ",\"messages\":[" +
            "{\"role\":\"user\",\"content\":\"weather?\"}," +
            "{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"get_weather\",\"input\":{}}]}," +
            "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_1\",\"content\":\"sunny\"}]}]}";

        using var response = await AnthropicCalls.PostAsync(Client, simulator.RootUrlOf("anth"), body);
        var json = await SimulatorCalls.JsonAsync(response);

        Assert.Equal(expectedBlock, (string?)json["content"]![0]!["type"]);
    }

    [Fact]
    public async Task Post_MaxTokensBelowTheReply_StopsAtMaxTokens()
    {
        await using var simulator = await ProviderSimulator.StartAsync([new SimulatedProvider("anth", SimulatorStyle.Anthropic)]);

        using var response = await AnthropicCalls.PostAsync(Client, simulator.RootUrlOf("anth"), AnthropicCalls.Body(maxTokens: 2));
        var json = await SimulatorCalls.JsonAsync(response);

        Assert.Equal("max_tokens", (string?)json["stop_reason"]);
        Assert.Equal(2, (int)json["usage"]!["output_tokens"]!);
        Assert.True(((string)json["content"]![0]!["text"]!).Length < simulator["anth"].ReplyText.Length);
    }

    [Theory]
    [InlineData(AnthropicCalls.Key, false, "")]
    [InlineData(AnthropicCalls.Key, true, "")]
    [InlineData(AnthropicCalls.Key, false, "?beta=true")]
    public async Task Post_AuthVariants_AreAcceptedAndRecorded(string key, bool bearer, string query)
    {
        await using var simulator = await ProviderSimulator.StartAsync([new SimulatedProvider("anth", SimulatorStyle.Anthropic)]);

        using var response = await AnthropicCalls.PostAsync(Client, simulator.RootUrlOf("anth"), AnthropicCalls.Body(stream: true), key, bearer: bearer, query: query);
        await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var call = simulator["anth"].Calls.Single();
        Assert.Equal("/anth/v1/messages", call.Path);
        Assert.Equal("A001", call.KeyLast4);
        Assert.Equal("claude-sim", call.Model);
        Assert.True(call.Stream);
        Assert.Null(call.Fault);
    }

    [Theory]
    [InlineData(null, "2023-06-01", "{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", 401, "authentication_error", "x-api-key header is required")]
    [InlineData(AnthropicCalls.Key, null, "{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", 400, "invalid_request_error", "anthropic-version: header is required")]
    [InlineData(AnthropicCalls.Key, "2023-06-01", "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", 400, "invalid_request_error", "max_tokens: Field required")]
    [InlineData(AnthropicCalls.Key, "2023-06-01", "{\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", 400, "invalid_request_error", "model: Field required")]
    [InlineData(AnthropicCalls.Key, "2023-06-01", "{\"model\":\"m\",\"max_tokens\":5}", 400, "invalid_request_error", "messages: Field required")]
    [InlineData(AnthropicCalls.Key, "2023-06-01", "{not json", 400, "invalid_request_error", null)]
    public async Task Post_InvalidRequest_ReturnsAnthropicError(string? key, string? version, string body, int status, string type, string? message)
    {
        await using var simulator = await ProviderSimulator.StartAsync([new SimulatedProvider("anth", SimulatorStyle.Anthropic)]);

        using var response = await AnthropicCalls.PostAsync(Client, simulator.RootUrlOf("anth"), body, key, version);
        var json = await SimulatorCalls.JsonAsync(response);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(["type", "error", "request_id"], json.AsObject().Select(member => member.Key));
        Assert.Equal("error", (string?)json["type"]);
        Assert.Equal(type, (string?)json["error"]!["type"]);
        if (message is not null)
        {
            Assert.Equal(message, (string?)json["error"]!["message"]);
        }

        Assert.Equal(1, simulator["anth"].CallCount);
    }

    [Fact]
    public async Task Post_ModelOutsideTheListedModels_ReturnsNotFoundError()
    {
        var provider = new SimulatedProvider("anth", SimulatorStyle.Anthropic) { Models = ["claude-sim"] };
        await using var simulator = await ProviderSimulator.StartAsync([provider]);

        using var response = await AnthropicCalls.PostAsync(Client, simulator.RootUrlOf("anth"), AnthropicCalls.Body("claude-9"));
        var json = await SimulatorCalls.JsonAsync(response);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("not_found_error", (string?)json["error"]!["type"]);
        Assert.Equal("model: claude-9", (string?)json["error"]!["message"]);
    }

    [Fact]
    public async Task Routes_OtherFormat_AreNotServed()
    {
        await using var simulator = await ProviderSimulator.StartAsync(
            [new SimulatedProvider("anth", SimulatorStyle.Anthropic), new SimulatedProvider("openai")]);

        using var chat = await SimulatorCalls.PostAsync(Client, simulator.BaseUrlOf("anth"), SimulatorCalls.Body());
        using var messages = await AnthropicCalls.PostAsync(Client, simulator.RootUrlOf("openai"), AnthropicCalls.Body());

        Assert.Equal(HttpStatusCode.NotFound, chat.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, messages.StatusCode);
        Assert.Equal(0, simulator["anth"].CallCount);
        Assert.Equal(0, simulator["openai"].CallCount);
    }

    [Fact]
    public async Task Post_ForcedToolWithNestedSchema_InputIsAnInstanceOfTheSchema()
    {
        await using var simulator = await ProviderSimulator.StartAsync([new SimulatedProvider("anth", SimulatorStyle.Anthropic)]);
        const string Tool = "\"tools\":[{\"name\":\"record_person\",\"input_schema\":{\"type\":\"object\",\"properties\":{" +
            "\"person\":{\"$ref\":\"#/$defs/Person\"},\"scores\":{\"type\":\"array\",\"items\":{\"type\":\"number\",\"minimum\":5},\"minItems\":2}}," +
            "\"required\":[\"person\",\"scores\"],\"$defs\":{\"Person\":{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\"}," +
            "\"mood\":{\"enum\":[\"calm\",\"busy\"]}},\"required\":[\"name\",\"mood\"]}}}}],\"tool_choice\":{\"type\":\"tool\",\"name\":\"record_person\"}";

        using var response = await AnthropicCalls.PostAsync(Client, simulator.RootUrlOf("anth"), AnthropicCalls.Body(extraMembers: Tool));
        var block = (await SimulatorCalls.JsonAsync(response))["content"]![0]!;

        Assert.Equal("tool_use", (string?)block["type"]);
        Assert.Equal("record_person", (string?)block["name"]);
        Assert.Equal("simulated", (string?)block["input"]!["person"]!["name"]);
        Assert.Equal("calm", (string?)block["input"]!["person"]!["mood"]);
        Assert.Equal([5.0, 5.0], block["input"]!["scores"]!.AsArray().Select(score => (double)score!));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Post_OutputConfigJsonSchema_TextIsAnInstanceOfTheSchema(bool stream)
    {
        await using var simulator = await ProviderSimulator.StartAsync([new SimulatedProvider("anth", SimulatorStyle.Anthropic)]);
        const string Format = "\"output_config\":{\"format\":{\"type\":\"json_schema\",\"schema\":{\"type\":\"object\"," +
            "\"properties\":{\"title\":{\"type\":\"string\"},\"pages\":{\"type\":\"integer\",\"minimum\":10}},\"required\":[\"title\",\"pages\"]}}}";

        using var response = await AnthropicCalls.PostAsync(Client, simulator.RootUrlOf("anth"), AnthropicCalls.Body(stream: stream, extraMembers: Format));
        string text;
        if (stream)
        {
            text = string.Concat(AnthropicCalls.Events(await response.Content.ReadAsStringAsync())
                .Where(item => item.Event == "content_block_delta")
                .Select(item => (string?)item.Data["delta"]!["text"]));
        }
        else
        {
            text = (string)(await SimulatorCalls.JsonAsync(response))["content"]![0]!["text"]!;
        }

        var book = JsonNode.Parse(text)!;
        Assert.Equal("simulated", (string?)book["title"]);
        Assert.Equal(10, (int)book["pages"]!);
    }
}
