using System.Net;
using System.Text;
using System.Text.Json;
using Spillway.Simulator;
using Spillway.Tests.Support;

namespace Spillway.Tests.Endpoints;

/// <summary>
/// Every client format against every upstream format, streamed and not, on real loopback HTTP: plain text, a tool
/// call round trip and an image. Same-format pairs are pass-throughs; the others go through the canonical model.
/// </summary>
public sealed class TranslationMatrixTests
{
    private const string Reply = "Hello from the matrix.";

    // A 1×1 PNG.
    private const string PngBase64 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

    private const string WeatherSchema = """{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}""";

    public static TheoryData<string, SimulatorStyle, bool> Matrix()
    {
        var data = new TheoryData<string, SimulatorStyle, bool>();
        foreach (var client in new[] { "openai", "anthropic" })
        {
            foreach (var upstream in new[] { SimulatorStyle.OpenAI, SimulatorStyle.Anthropic, SimulatorStyle.GeminiNative })
            {
                data.Add(client, upstream, false);
                data.Add(client, upstream, true);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Text_AnyPair_ClientGetsTheAnswerInItsFormat(string client, SimulatorStyle upstream, bool stream)
    {
        await using var gateway = await StartAsync(upstream);

        using var response = await SendAsync(gateway, client, stream, Messages(client, "Say hello"));

        var answer = await ReadAnswerAsync(response, client, stream);
        Assert.Equal(Reply, answer.Text);
        Assert.Equal(client == "openai" ? "stop" : "end_turn", answer.StopReason);
        Assert.True(answer.OutputTokens > 0, "usage must reach the client");
        await AssertLedgerAsync(gateway, client, upstream);
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Text_AnyPair_ResponseIdInTheClientsShape(string client, SimulatorStyle upstream, bool stream)
    {
        await using var gateway = await StartAsync(upstream);

        using var response = await SendAsync(gateway, client, stream, Messages(client, "Say hello"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var prefix = client == "openai" ? "chatcmpl-" : "msg_";
        var ids = new List<string?>();
        if (!stream)
        {
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            ids.Add(body.RootElement.GetProperty("id").GetString());
        }
        else
        {
            foreach (var (name, data) in await EventsAsync(response))
            {
                if (data == "[DONE]")
                {
                    continue;
                }

                using var json = JsonDocument.Parse(data);
                if (client == "openai")
                {
                    ids.Add(json.RootElement.GetProperty("id").GetString());
                }
                else if (name == "message_start")
                {
                    ids.Add(json.RootElement.GetProperty("message").GetProperty("id").GetString());
                }
            }
        }

        Assert.NotEmpty(ids);
        Assert.Single(ids.Distinct());
        Assert.StartsWith(prefix, ids[0], StringComparison.Ordinal);
        Assert.True(ids[0]!.Length > prefix.Length, ids[0]);
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task ToolRoundTrip_AnyPair_CallThenResultThenText(string client, SimulatorStyle upstream, bool stream)
    {
        await using var gateway = await StartAsync(upstream);

        using var first = await SendAsync(gateway, client, stream, Messages(client, "Weather in Paris?") + Tools(client));
        var call = await ReadAnswerAsync(first, client, stream);
        Assert.Equal(client == "openai" ? "tool_calls" : "tool_use", call.StopReason);
        Assert.Equal("get_weather", call.ToolName);
        Assert.False(string.IsNullOrEmpty(call.ToolId));
        using (var arguments = JsonDocument.Parse(call.ToolArguments!))
        {
            Assert.Equal(JsonValueKind.String, arguments.RootElement.GetProperty("city").ValueKind);
        }

        using var second = await SendAsync(gateway, client, stream, ToolResultTurn(client, call) + Tools(client));
        var final = await ReadAnswerAsync(second, client, stream);
        Assert.Equal(Reply, final.Text);

        // The tool result reached the upstream in its own format, tied to the call.
        var upstreamBody = Encoding.UTF8.GetString(gateway["up"].Calls[^1].Body);
        Assert.Contains("18 degrees", upstreamBody, StringComparison.Ordinal);
        Assert.Contains(upstream switch
        {
            SimulatorStyle.OpenAI => "\"tool_call_id\"",
            SimulatorStyle.Anthropic => "\"tool_result\"",
            _ => "\"functionResponse\"",
        }, upstreamBody, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Image_AnyPair_ReachesTheUpstreamInItsFormat(string client, SimulatorStyle upstream, bool stream)
    {
        await using var gateway = await StartAsync(upstream);

        using var response = await SendAsync(gateway, client, stream, ImageMessages(client));

        var answer = await ReadAnswerAsync(response, client, stream);
        Assert.Equal(Reply, answer.Text);
        using var sent = JsonDocument.Parse(gateway["up"].Calls[^1].Body);
        var text = sent.RootElement.GetRawText();
        Assert.Contains(PngBase64, text, StringComparison.Ordinal);
        Assert.Contains(upstream switch
        {
            SimulatorStyle.OpenAI => "\"image_url\"",
            SimulatorStyle.Anthropic => "\"image\"",
            _ => "\"inlineData\"",
        }, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnthropicClient_Stream_ExactEventSequenceFromAnOpenAIUpstream()
    {
        await using var gateway = await StartAsync(SimulatorStyle.OpenAI);

        using var response = await SendAsync(gateway, "anthropic", stream: true, Messages("anthropic", "Say hello"));

        var names = (await EventsAsync(response)).Select(e => e.Name).ToList();
        Assert.Equal("message_start", names[0]);
        Assert.Equal("content_block_start", names[1]);
        Assert.Equal("ping", names[2]);
        Assert.All(names.Skip(3).Take(names.Count - 6), n => Assert.Equal("content_block_delta", n));
        Assert.Equal(["content_block_stop", "message_delta", "message_stop"], names.TakeLast(3));
    }

    [Fact]
    public async Task AnthropicClient_UpstreamRateLimited_AnthropicErrorShape()
    {
        await using var gateway = await StartAsync(SimulatorStyle.GeminiNative);
        gateway["up"].Enqueue(SimulatedFault.RateLimited());

        using var response = await SendAsync(gateway, "anthropic", stream: false, Messages("anthropic", "Say hello"));

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("error", body.RootElement.GetProperty("type").GetString());
        Assert.Equal("rate_limit_error", body.RootElement.GetProperty("error").GetProperty("type").GetString());
    }

    [Fact]
    public async Task AnthropicClient_MalformedBody_AnthropicInvalidRequest()
    {
        await using var gateway = await StartAsync(SimulatorStyle.OpenAI);

        using var response = await gateway.Http.PostAsync(
            "/v1/messages", new StringContent("""{"model":"chain","messages":"nope"}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("invalid_request_error", body.RootElement.GetProperty("error").GetProperty("type").GetString());
        Assert.Equal(0, gateway["up"].CallCount);
    }

    private static Task<TestGateway> StartAsync(SimulatorStyle upstream)
    {
        var provider = new SimulatedProvider("up", upstream) { ReplyText = Reply };
        return TestGateway.StartAsync([provider]);
    }

    private static Task<HttpResponseMessage> SendAsync(TestGateway gateway, string client, bool stream, string fields)
    {
        var json = client == "openai"
            ? $$"""{"model":"chain","stream":{{(stream ? "true" : "false")}}{{(stream ? ",\"stream_options\":{\"include_usage\":true}" : "")}},{{fields}}}"""
            : $$"""{"model":"chain","max_tokens":512,"stream":{{(stream ? "true" : "false")}},{{fields}}}""";
        var content = new StringContent(json, Encoding.UTF8, "application/json");
        if (client == "anthropic")
        {
            content.Headers.Add("anthropic-version", "2023-06-01");
        }

        return gateway.Http.PostAsync(client == "openai" ? "/v1/chat/completions" : "/v1/messages?beta=true", content);
    }

    private static string Messages(string client, string text) => client == "openai"
        ? $$"""  "messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"{{text}}"}]"""
        : $$"""  "system":"Be brief.","messages":[{"role":"user","content":"{{text}}"}]""";

    private static string Tools(string client) => client == "openai"
        ? ""","tools":[{"type":"function","function":{"name":"get_weather","description":"Weather now","parameters":""" + WeatherSchema + "}}]"
        : ""","tools":[{"name":"get_weather","description":"Weather now","input_schema":""" + WeatherSchema + "}]";

    private static string ToolResultTurn(string client, Answer call)
    {
        var id = JsonSerializer.Serialize(call.ToolId);
        var opening = """ "messages":[{"role":"user","content":"Weather in Paris?"},""";
        return client == "openai"
            ? opening
              + """{"role":"assistant","content":null,"tool_calls":[{"id":""" + id
              + ""","type":"function","function":{"name":"get_weather","arguments":""" + JsonSerializer.Serialize(call.ToolArguments) + "}}]},"
              + """{"role":"tool","tool_call_id":""" + id + ""","content":"18 degrees and sunny"}]"""
            : opening
              + """{"role":"assistant","content":[{"type":"tool_use","id":""" + id + ""","name":"get_weather","input":""" + call.ToolArguments + "}]},"
              + """{"role":"user","content":[{"type":"tool_result","tool_use_id":""" + id + ""","content":"18 degrees and sunny"}]}]""";
    }

    private static string ImageMessages(string client) => client == "openai"
        ? """ "messages":[{"role":"user","content":[{"type":"text","text":"What is this?"},{"type":"image_url","image_url":{"url":"data:image/png;base64,""" + PngBase64 + "\"}}]}]"
        : """ "messages":[{"role":"user","content":[{"type":"text","text":"What is this?"},{"type":"image","source":{"type":"base64","media_type":"image/png","data":""" + "\"" + PngBase64 + "\"}}]}]";

    private static async Task AssertLedgerAsync(TestGateway gateway, string client, SimulatorStyle upstream)
    {
        var ledger = await gateway.LedgerAsync();
        var entry = ledger[0];
        Assert.Equal(client, entry.GetProperty("client_format").GetString());
        var attempt = entry.GetProperty("attempts")[0];
        Assert.Equal("ok", attempt.GetProperty("outcome").GetString());
        var same = (client, upstream) is ("openai", SimulatorStyle.OpenAI) or ("anthropic", SimulatorStyle.Anthropic);
        var detail = attempt.TryGetProperty("detail", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
        if (same)
        {
            Assert.Null(detail);
        }
        else
        {
            Assert.StartsWith("translated " + client + "→", detail, StringComparison.Ordinal);
        }
    }

    private sealed record Answer(string Text, string? StopReason, long OutputTokens, string? ToolId, string? ToolName, string? ToolArguments);

    private static async Task<Answer> ReadAnswerAsync(HttpResponseMessage response, string client, bool stream)
    {
        var raw = stream ? null : await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {raw ?? await response.Content.ReadAsStringAsync()}");
        if (!stream)
        {
            using var body = JsonDocument.Parse(raw!);
            return client == "openai" ? OpenAIAnswer(body.RootElement) : AnthropicAnswer(body.RootElement);
        }

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var events = await EventsAsync(response);
        return client == "openai" ? OpenAIStreamAnswer(events) : AnthropicStreamAnswer(events);
    }

    private static Answer OpenAIAnswer(JsonElement body)
    {
        var choice = body.GetProperty("choices")[0];
        var message = choice.GetProperty("message");
        string? id = null, name = null, arguments = null;
        if (message.TryGetProperty("tool_calls", out var calls) && calls.ValueKind == JsonValueKind.Array)
        {
            id = calls[0].GetProperty("id").GetString();
            name = calls[0].GetProperty("function").GetProperty("name").GetString();
            arguments = calls[0].GetProperty("function").GetProperty("arguments").GetString();
        }

        var content = message.TryGetProperty("content", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString()! : "";
        return new Answer(content, choice.GetProperty("finish_reason").GetString(),
            body.GetProperty("usage").GetProperty("completion_tokens").GetInt64(), id, name, arguments);
    }

    private static Answer AnthropicAnswer(JsonElement body)
    {
        Assert.Equal("message", body.GetProperty("type").GetString());
        var text = new StringBuilder();
        string? id = null, name = null, arguments = null;
        foreach (var block in body.GetProperty("content").EnumerateArray())
        {
            switch (block.GetProperty("type").GetString())
            {
                case "text":
                    text.Append(block.GetProperty("text").GetString());
                    break;
                case "tool_use":
                    id = block.GetProperty("id").GetString();
                    name = block.GetProperty("name").GetString();
                    arguments = block.GetProperty("input").GetRawText();
                    break;
            }
        }

        return new Answer(text.ToString(), body.GetProperty("stop_reason").GetString(),
            body.GetProperty("usage").GetProperty("output_tokens").GetInt64(), id, name, arguments);
    }

    private static Answer OpenAIStreamAnswer(List<(string? Name, string Data)> events)
    {
        Assert.Equal("[DONE]", events[^1].Data);
        var text = new StringBuilder();
        var arguments = new StringBuilder();
        string? finish = null, id = null, name = null;
        long output = 0;
        foreach (var (_, data) in events.SkipLast(1))
        {
            using var chunk = JsonDocument.Parse(data);
            var root = chunk.RootElement;
            Assert.False(root.TryGetProperty("error", out _), data);
            if (root.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
            {
                output = usage.GetProperty("completion_tokens").GetInt64();
            }

            if (root.GetProperty("choices").GetArrayLength() == 0)
            {
                continue;
            }

            var choice = root.GetProperty("choices")[0];
            if (choice.TryGetProperty("finish_reason", out var f) && f.ValueKind == JsonValueKind.String)
            {
                finish = f.GetString();
            }

            var delta = choice.GetProperty("delta");
            if (delta.TryGetProperty("content", out var c) && c.ValueKind == JsonValueKind.String)
            {
                text.Append(c.GetString());
            }

            if (delta.TryGetProperty("tool_calls", out var calls))
            {
                var call = calls[0];
                if (call.TryGetProperty("id", out var i) && i.ValueKind == JsonValueKind.String)
                {
                    id = i.GetString();
                }

                var function = call.GetProperty("function");
                if (function.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String)
                {
                    name = n.GetString();
                }

                if (function.TryGetProperty("arguments", out var a))
                {
                    arguments.Append(a.GetString());
                }
            }
        }

        return new Answer(text.ToString(), finish, output, id, name, name is null ? null : arguments.ToString());
    }

    private static Answer AnthropicStreamAnswer(List<(string? Name, string Data)> events)
    {
        Assert.Equal("message_start", events[0].Name);
        Assert.Equal("message_stop", events[^1].Name);
        var text = new StringBuilder();
        var arguments = new StringBuilder();
        string? stop = null, id = null, name = null;
        long output = 0;
        foreach (var (eventName, data) in events)
        {
            Assert.NotEqual("error", eventName);
            using var json = JsonDocument.Parse(data);
            var root = json.RootElement;
            Assert.Equal(eventName, root.GetProperty("type").GetString());
            switch (eventName)
            {
                case "content_block_start" when root.GetProperty("content_block").GetProperty("type").GetString() == "tool_use":
                    id = root.GetProperty("content_block").GetProperty("id").GetString();
                    name = root.GetProperty("content_block").GetProperty("name").GetString();
                    break;
                case "content_block_delta":
                    var delta = root.GetProperty("delta");
                    if (delta.GetProperty("type").GetString() == "text_delta")
                    {
                        text.Append(delta.GetProperty("text").GetString());
                    }
                    else if (delta.GetProperty("type").GetString() == "input_json_delta")
                    {
                        arguments.Append(delta.GetProperty("partial_json").GetString());
                    }

                    break;
                case "message_delta":
                    stop = root.GetProperty("delta").GetProperty("stop_reason").GetString();
                    output = root.GetProperty("usage").GetProperty("output_tokens").GetInt64();
                    break;
            }
        }

        return new Answer(text.ToString(), stop, output, id, name, name is null ? null : arguments.ToString());
    }

    private static async Task<List<(string? Name, string Data)>> EventsAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        var events = new List<(string?, string)>();
        foreach (var block in text.Replace("\r\n", "\n", StringComparison.Ordinal).Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            string? name = null;
            var data = new StringBuilder();
            foreach (var line in block.Split('\n'))
            {
                if (line.StartsWith("event:", StringComparison.Ordinal))
                {
                    name = line[6..].Trim();
                }
                else if (line.StartsWith("data:", StringComparison.Ordinal))
                {
                    data.Append(line[5..].TrimStart());
                }
            }

            if (data.Length > 0)
            {
                events.Add((name, data.ToString()));
            }
        }

        return events;
    }
}
