using System.Net;
using System.Text.Json.Nodes;

namespace Spillway.Simulator.Tests;

public sealed class ChatCompletionsEndpointTests
{
    private static readonly HttpClient Client = new();

    [Fact]
    public async Task Post_ValidRequest_ReturnsChatCompletionWithUsage()
    {
        await using var simulator = await ProviderSimulator.StartAsync([new SimulatedProvider("openai")]);

        using var response = await SimulatorCalls.PostAsync(Client, simulator.BaseUrlOf("openai"), SimulatorCalls.Body("gpt-4o-mini"));
        var json = await SimulatorCalls.JsonAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("spillway-simulator", SimulatorCalls.Header(response, "x-simulator"));
        Assert.StartsWith("chatcmpl-sim", (string)json["id"]!, StringComparison.Ordinal);
        Assert.Equal("chat.completion", (string?)json["object"]);
        Assert.Equal("gpt-4o-mini", (string?)json["model"]);
        Assert.Equal("spillway-simulator", (string?)json["system_fingerprint"]);
        Assert.True((long)json["created"]! > 1_700_000_000);
        var choice = json["choices"]![0]!;
        Assert.Equal("assistant", (string?)choice["message"]!["role"]);
        Assert.Equal(simulator["openai"].ReplyText, (string?)choice["message"]!["content"]);
        Assert.Contains("simulated", (string)choice["message"]!["content"]!, StringComparison.Ordinal);
        Assert.Null(choice["message"]!["refusal"]);
        Assert.Equal("stop", (string?)choice["finish_reason"]);
        var usage = json["usage"]!;
        Assert.True((int)usage["prompt_tokens"]! > 0);
        Assert.True((int)usage["completion_tokens"]! > 0);
        Assert.Equal((int)usage["prompt_tokens"]! + (int)usage["completion_tokens"]!, (int)usage["total_tokens"]!);
        Assert.Equal(0, (int)usage["prompt_tokens_details"]!["cached_tokens"]!);
        Assert.Equal(0, (int)usage["completion_tokens_details"]!["reasoning_tokens"]!);
    }

    [Theory]
    [InlineData(SimulatorStyle.OpenAI, "openai-chat-completion-200-with-ratelimit-headers.txt")]
    [InlineData(SimulatorStyle.Groq, "groq-chat-completion-200-with-ratelimit-headers.txt")]
    public async Task Post_ValidRequest_HasEveryMemberOfTheRecordedResponse(SimulatorStyle style, string fixture)
    {
        await using var simulator = await ProviderSimulator.StartAsync([new SimulatedProvider("p", style)]);

        using var response = await SimulatorCalls.PostAsync(Client, simulator.BaseUrlOf("p"), SimulatorCalls.Body());
        var json = await SimulatorCalls.JsonAsync(response);

        Assert.Empty(SimulatorCalls.MissingMembers(SimulatorCalls.FixtureBody(fixture), json));
    }

    [Theory]
    [InlineData(SimulatorStyle.OpenAI)]
    [InlineData(SimulatorStyle.Groq)]
    public async Task Post_ValidRequest_SendsTheRecordedRateLimitHeaderNames(SimulatorStyle style)
    {
        await using var simulator = await ProviderSimulator.StartAsync([new SimulatedProvider("p", style)]);

        using var response = await SimulatorCalls.PostAsync(Client, simulator.BaseUrlOf("p"), SimulatorCalls.Body());

        foreach (var name in new[]
        {
            "x-ratelimit-limit-requests", "x-ratelimit-limit-tokens", "x-ratelimit-remaining-requests",
            "x-ratelimit-remaining-tokens", "x-ratelimit-reset-requests", "x-ratelimit-reset-tokens",
        })
        {
            Assert.NotNull(SimulatorCalls.Header(response, name));
        }

        Assert.Null(SimulatorCalls.Header(response, "retry-after"));
    }

    [Fact]
    public async Task Post_OpenAIStyleWithPerMinuteLimit_CountsDownRemainingRequests()
    {
        var provider = new SimulatedProvider("openai") { RequestsPerMinute = 5 };
        await using var simulator = await ProviderSimulator.StartAsync([provider]);

        using var first = await SimulatorCalls.PostAsync(Client, simulator.BaseUrlOf("openai"), SimulatorCalls.Body());
        using var second = await SimulatorCalls.PostAsync(Client, simulator.BaseUrlOf("openai"), SimulatorCalls.Body());

        Assert.Equal("5", SimulatorCalls.Header(second, "x-ratelimit-limit-requests"));
        Assert.Equal("4", SimulatorCalls.Header(first, "x-ratelimit-remaining-requests"));
        Assert.Equal("3", SimulatorCalls.Header(second, "x-ratelimit-remaining-requests"));
    }

    [Fact]
    public async Task Post_WithTools_ReturnsToolCallWithSchemaShapedArguments()
    {
        await using var simulator = await ProviderSimulator.StartAsync([new SimulatedProvider("openai")]);
        const string Tools = "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"parameters\":{\"type\":\"object\"," +
            "\"properties\":{\"city\":{\"type\":\"string\"},\"days\":{\"type\":\"integer\"},\"unit\":{\"type\":\"string\",\"enum\":[\"c\",\"f\"]}}," +
            "\"required\":[\"city\",\"days\",\"unit\"]}}}]";

        using var response = await SimulatorCalls.PostAsync(Client, simulator.BaseUrlOf("openai"), SimulatorCalls.Body(extraMembers: Tools));
        var choice = (await SimulatorCalls.JsonAsync(response))["choices"]![0]!;

        Assert.Equal("tool_calls", (string?)choice["finish_reason"]);
        Assert.Null(choice["message"]!["content"]);
        var call = choice["message"]!["tool_calls"]![0]!;
        Assert.StartsWith("call_", (string)call["id"]!, StringComparison.Ordinal);
        Assert.Equal("function", (string?)call["type"]);
        Assert.Equal("get_weather", (string?)call["function"]!["name"]);
        var arguments = JsonNode.Parse((string)call["function"]!["arguments"]!)!;
        Assert.Equal("simulated", (string?)arguments["city"]);
        Assert.Equal(1, (int)arguments["days"]!);
        Assert.Equal("c", (string?)arguments["unit"]);
    }

    [Fact]
    public async Task Post_WithScriptedToolCall_CallsThatToolWithItsArguments()
    {
        var provider = new SimulatedProvider("openai") { ToolCall = new SimulatedToolCall("read_file", "{\"path\":\"/tmp/notes.txt\"}") };
        await using var simulator = await ProviderSimulator.StartAsync([provider]);
        const string Tools = "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"parameters\":{\"type\":\"object\"," +
            "\"properties\":{\"city\":{\"type\":\"string\"}}}}},{\"type\":\"function\",\"function\":{\"name\":\"read_file\"}}]";

        using var response = await SimulatorCalls.PostAsync(Client, simulator.BaseUrlOf("openai"), SimulatorCalls.Body(extraMembers: Tools));
        var choice = (await SimulatorCalls.JsonAsync(response))["choices"]![0]!;

        Assert.Equal("tool_calls", (string?)choice["finish_reason"]);
        var call = choice["message"]!["tool_calls"]![0]!;
        Assert.Equal("read_file", (string?)call["function"]!["name"]);
        Assert.Equal("{\"path\":\"/tmp/notes.txt\"}", (string?)call["function"]!["arguments"]);
    }

    [Fact]
    public async Task Post_WithScriptedToolCallButNoTools_AnswersWithText()
    {
        var provider = new SimulatedProvider("openai") { ToolCall = new SimulatedToolCall("read_file", "{}") };
        await using var simulator = await ProviderSimulator.StartAsync([provider]);

        using var response = await SimulatorCalls.PostAsync(Client, simulator.BaseUrlOf("openai"), SimulatorCalls.Body());
        var choice = (await SimulatorCalls.JsonAsync(response))["choices"]![0]!;

        Assert.Equal("stop", (string?)choice["finish_reason"]);
        Assert.Equal(provider.ReplyText, (string?)choice["message"]!["content"]);
    }

    [Fact]
    public async Task Post_IgnoresTools_AnswersWithTextThoughToolsAreOffered()
    {
        var provider = new SimulatedProvider("openai") { IgnoresTools = true };
        await using var simulator = await ProviderSimulator.StartAsync([provider]);
        const string Tools = "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"read_file\"}}]";

        using var response = await SimulatorCalls.PostAsync(Client, simulator.BaseUrlOf("openai"), SimulatorCalls.Body(extraMembers: Tools));
        var choice = (await SimulatorCalls.JsonAsync(response))["choices"]![0]!;

        Assert.Equal("stop", (string?)choice["finish_reason"]);
        Assert.Equal(provider.ReplyText, (string?)choice["message"]!["content"]);
    }

    [Fact]
    public async Task Post_ToolResultIsTheLastMessage_AnswersWithText()
    {
        await using var simulator = await ProviderSimulator.StartAsync([new SimulatedProvider("openai")]);
        const string Body = "{\"model\":\"m\",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}],\"messages\":[" +
            "{\"role\":\"user\",\"content\":\"hi\"}," +
            "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]}," +
            "{\"role\":\"tool\",\"tool_call_id\":\"call_1\",\"content\":\"42\"}]}";

        using var response = await SimulatorCalls.PostAsync(Client, simulator.BaseUrlOf("openai"), Body);
        var choice = (await SimulatorCalls.JsonAsync(response))["choices"]![0]!;

        Assert.Equal("stop", (string?)choice["finish_reason"]);
        Assert.Equal(simulator["openai"].ReplyText, (string?)choice["message"]!["content"]);
    }

    [Theory]
    [InlineData(null, "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", 401, null)]
    [InlineData(SimulatorCalls.Key, "{not json", 400, null)]
    [InlineData(SimulatorCalls.Key, "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", 400, null)]
    [InlineData(SimulatorCalls.Key, "{\"model\":\"m\"}", 400, "missing_required_parameter")]
    [InlineData(SimulatorCalls.Key, "{\"model\":\"m\",\"messages\":[]}", 400, "empty_array")]
    [InlineData(SimulatorCalls.Key, "{\"model\":\"m\",\"messages\":\"hi\"}", 400, "invalid_type")]
    public async Task Post_InvalidRequest_ReturnsOpenAIError(string? key, string body, int status, string? code)
    {
        await using var simulator = await ProviderSimulator.StartAsync([new SimulatedProvider("openai")]);

        using var response = await SimulatorCalls.PostAsync(Client, simulator.BaseUrlOf("openai"), body, key);
        var error = (await SimulatorCalls.JsonAsync(response))["error"]!.AsObject();

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(["message", "type", "param", "code"], error.Select(member => member.Key));
        Assert.Equal("invalid_request_error", (string?)error["type"]);
        Assert.Equal(code, (string?)error["code"]);
        Assert.Equal(1, simulator["openai"].CallCount);
    }

    [Fact]
    public async Task Post_ModelOutsideTheListedModels_ReturnsModelNotFound()
    {
        var provider = new SimulatedProvider("openai") { Models = ["gpt-4o-mini"] };
        await using var simulator = await ProviderSimulator.StartAsync([provider]);

        using var known = await SimulatorCalls.PostAsync(Client, simulator.BaseUrlOf("openai"), SimulatorCalls.Body("gpt-4o-mini"));
        using var unknown = await SimulatorCalls.PostAsync(Client, simulator.BaseUrlOf("openai"), SimulatorCalls.Body("gpt-9"));

        Assert.Equal(HttpStatusCode.OK, known.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("model_not_found", (string?)(await SimulatorCalls.JsonAsync(unknown))["error"]!["code"]);
    }

    [Fact]
    public async Task Post_AnyCall_IsRecordedWithoutTheKey()
    {
        await using var simulator = await ProviderSimulator.StartAsync([new SimulatedProvider("groq", SimulatorStyle.Groq)]);
        var provider = simulator["groq"];
        provider.Enqueue(SimulatedFault.ServerError());
        var body = SimulatorCalls.Body("llama", stream: true);

        using var failed = await SimulatorCalls.PostAsync(Client, simulator.BaseUrlOf("groq"), body, "gsk_first-key-AAAA");
        using var served = await SimulatorCalls.PostAsync(Client, simulator.BaseUrlOf("groq"), body, "gsk_other-key-BBBB");
        await served.Content.ReadAsStringAsync();
        using var anonymous = await SimulatorCalls.PostAsync(Client, simulator.BaseUrlOf("groq"), body, key: null);

        var calls = provider.Calls;
        Assert.Equal(3, provider.CallCount);
        Assert.Equal("/groq/v1/chat/completions", calls[0].Path);
        Assert.Equal("AAAA", calls[0].KeyLast4);
        Assert.Equal(SimulatedFaultKind.ServerError, calls[0].Fault);
        Assert.Equal("llama", calls[1].Model);
        Assert.True(calls[1].Stream);
        Assert.Null(calls[1].Fault);
        Assert.Equal(body, System.Text.Encoding.UTF8.GetString(calls[1].Body));
        Assert.False(calls[2].HasAuthorization);
        Assert.Single(provider.CallsFor("gsk_other-key-BBBB"));
        Assert.Single(provider.CallsFor("AAAA"));
    }

    [Fact]
    public async Task Reset_AfterCallsAndScript_ForgetsThem()
    {
        var provider = new SimulatedProvider("openai") { RequestsPerDay = 1 };
        await using var simulator = await ProviderSimulator.StartAsync([provider]);
        using (await SimulatorCalls.PostAsync(Client, simulator.BaseUrlOf("openai"), SimulatorCalls.Body()))
        {
        }

        provider.Enqueue(SimulatedFault.ServerError());

        provider.Reset();
        using var response = await SimulatorCalls.PostAsync(Client, simulator.BaseUrlOf("openai"), SimulatorCalls.Body());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, provider.CallCount);
        Assert.Equal(0, provider.PendingFaults);
    }

    private const string PersonFormat = "\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"person\",\"strict\":true," +
        "\"schema\":{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\"},\"age\":{\"type\":\"integer\",\"minimum\":18}," +
        "\"tags\":{\"type\":\"array\",\"items\":{\"type\":\"string\"},\"minItems\":1}},\"required\":[\"name\",\"age\",\"tags\"],\"additionalProperties\":false}}}";

    [Fact]
    public async Task Post_JsonObjectResponseFormat_AnswersWithAJsonObject()
    {
        await using var simulator = await ProviderSimulator.StartAsync([new SimulatedProvider("openai")]);
        var body = SimulatorCalls.Body(extraMembers: "\"response_format\":{\"type\":\"json_object\"}");

        using var response = await SimulatorCalls.PostAsync(Client, simulator.BaseUrlOf("openai"), body);
        var content = (string)(await SimulatorCalls.JsonAsync(response))["choices"]![0]!["message"]!["content"]!;

        Assert.Equal(simulator["openai"].ReplyText, (string?)JsonNode.Parse(content)!.AsObject()["answer"]);
    }

    [Fact]
    public async Task Post_JsonSchemaResponseFormat_AnswersWithAnInstanceOfTheSchema()
    {
        await using var simulator = await ProviderSimulator.StartAsync([new SimulatedProvider("openai")]);

        using var response = await SimulatorCalls.PostAsync(Client, simulator.BaseUrlOf("openai"), SimulatorCalls.Body(extraMembers: PersonFormat));
        var choice = (await SimulatorCalls.JsonAsync(response))["choices"]![0]!;

        Assert.Equal("stop", (string?)choice["finish_reason"]);
        var person = JsonNode.Parse((string)choice["message"]!["content"]!)!;
        Assert.Equal("simulated", (string?)person["name"]);
        Assert.Equal(18, (int)person["age"]!);
        Assert.Single(person["tags"]!.AsArray());
    }

    [Fact]
    public async Task Post_StreamedJsonObjectResponseFormat_DeltasConcatenateToTheJson()
    {
        await using var simulator = await ProviderSimulator.StartAsync([new SimulatedProvider("openai")]);
        var body = SimulatorCalls.Body(stream: true, extraMembers: "\"response_format\":{\"type\":\"json_object\"}");

        using var response = await SimulatorCalls.PostAsync(Client, simulator.BaseUrlOf("openai"), body);
        var deltas = (await SimulatorCalls.SseLinesAsync(response))
            .Where(line => line.StartsWith('{'))
            .Select(line => (string?)JsonNode.Parse(line)!["choices"]![0]?["delta"]?["content"])
            .OfType<string>()
            .ToList();

        Assert.True(deltas.Count > 1);
        Assert.Equal(simulator["openai"].ReplyText, (string?)JsonNode.Parse(string.Concat(deltas))!["answer"]);
    }
}
