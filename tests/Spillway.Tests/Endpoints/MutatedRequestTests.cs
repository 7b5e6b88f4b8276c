using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spillway.Simulator;
using Spillway.Tests.Support;

namespace Spillway.Tests.Endpoints;

/// <summary>
/// Real clients' request bodies (an OpenAI tool loop with images, an Anthropic tool loop, a Claude Code request) with
/// values swapped for ones of other types and shapes, sent to every route format: whatever the mutation, the answer is a
/// success or a 4xx in the caller's format, never a 5xx. A fixed seed keeps the run repeatable.
/// </summary>
public sealed class MutatedRequestTests
{
    private const string OpenAIToolLoop = """
        {"model":"gpt-4o","messages":[
          {"role":"system","content":"You are a weather bot."},
          {"role":"user","content":[{"type":"text","text":"What's the weather where this photo was taken?"},{"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}}]},
          {"role":"assistant","content":null,"tool_calls":[
            {"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"location\":\"Paris\"}"}},
            {"id":"call_2","type":"function","function":{"name":"get_time","arguments":"{\"tz\":\"Europe/Paris\"}"}}]},
          {"role":"tool","tool_call_id":"call_1","content":"18°C, cloudy"},
          {"role":"tool","tool_call_id":"call_2","content":"14:05"},
          {"role":"user","content":[{"type":"image_url","image_url":{"url":"https://example.com/cat.jpg"}},{"type":"text","text":"And here?"}]}],
        "tools":[
          {"type":"function","function":{"name":"get_weather","description":"Current weather","parameters":{"type":"object","properties":{"location":{"type":"string"},"station":{"type":"integer","maximum":12345678901234567890}},"required":["location"]}}},
          {"type":"function","function":{"name":"get_time","parameters":{"type":"object","properties":{"tz":{"type":"string"}}}}}],
        "tool_choice":"required","parallel_tool_calls":false,"stop":["END","STOP"],"max_completion_tokens":512,
        "temperature":0.2,"stream":true,"stream_options":{"include_usage":true},"user":"user-42"}
        """;

    private const string AnthropicToolLoop = """
        {"model":"claude-sonnet-4-5","max_tokens":1024,"system":"You are a weather bot.","stop_sequences":["END"],
         "messages":[
          {"role":"user","content":[{"type":"image","source":{"type":"base64","media_type":"image/jpeg","data":"/9j/4AAQ"}},{"type":"text","text":"Weather here?"}]},
          {"role":"assistant","content":[{"type":"text","text":"Let me check."},{"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"location":"Paris"}}]},
          {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":[{"type":"text","text":"18°C"}]},{"type":"text","text":"Thanks, and tomorrow?"}]}],
         "tools":[{"name":"get_weather","description":"Current weather","input_schema":{"type":"object","properties":{"location":{"type":"string"}},"required":["location"]}}],
         "tool_choice":{"type":"tool","name":"get_weather"},"temperature":0.5,"top_k":40}
        """;

    private const string ClaudeCode = """
        {"model":"claude-sonnet-4-5-20250929","max_tokens":32000,
         "system":[{"type":"text","text":"You are Claude Code, Anthropic's official CLI for Claude.","cache_control":{"type":"ephemeral"}},
                   {"type":"text","text":"Working directory: /repo","cache_control":{"type":"ephemeral"}}],
         "messages":[{"role":"user","content":[{"type":"text","text":"List the files.","cache_control":{"type":"ephemeral"}}]}],
         "tools":[{"name":"Bash","description":"Run a command","input_schema":{"type":"object","properties":{"command":{"type":"string"}},"required":["command"],"additionalProperties":false,"$schema":"http://json-schema.org/draft-07/schema#"}},
                  {"name":"WebFetch","description":"Fetch a URL","input_schema":{"type":"object","properties":{"url":{"type":"string","format":"uri"}},"required":["url"]},"defer_loading":true}],
         "metadata":{"user_id":"{\"device_id\":\"abc\",\"session_id\":\"123\"}"},
         "thinking":{"type":"enabled","budget_tokens":31999},
         "context_management":{"edits":[{"type":"clear_thinking_20251015","keep":"all"}]},
         "stream":true}
        """;

    private static readonly string[] Models = ["claude/claude-haiku-4-5", "gemini/gemini-2.5-flash", "openai/gpt-4o-mini"];

    private static readonly Func<JsonNode?>[] Replacements =
    [
        () => null,
        () => JsonValue.Create(-1),
        () => JsonValue.Create(0),
        () => JsonValue.Create(1.5),
        () => JsonNode.Parse("1e400"),
        () => JsonNode.Parse("123456789012345678901234567890"),
        () => JsonValue.Create(""),
        () => JsonValue.Create("x"),
        () => JsonValue.Create(true),
        () => new JsonArray(),
        () => new JsonObject(),
        () => new JsonArray(1, "a"),
        () => new JsonObject { ["type"] = "text" },
        () => new JsonObject { ["type"] = "image_url", ["image_url"] = 5 },
        () => new JsonObject { ["type"] = "tool_use" },
        () => new JsonObject { ["type"] = "tool_result" },
        () => JsonValue.Create("data:image/png;base64,@@"),
        () => new JsonObject { ["role"] = "tool" },
        () => new JsonObject { ["role"] = "assistant", ["content"] = null },
    ];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task MutatedClientBodies_NeverA5xx(int seed)
    {
        await using var gateway = await TestGateway.StartAsync(
            [new SimulatedProvider("openai"), new SimulatedProvider("claude", SimulatorStyle.Anthropic), new SimulatedProvider("gemini", SimulatorStyle.GeminiNative)]);
        var random = new Random(seed);
        var failures = new List<string>();
        for (var i = 0; i < 300; i++)
        {
            var (path, sample) = (i % 3) switch
            {
                0 => ("/v1/chat/completions", OpenAIToolLoop),
                1 => ("/v1/messages", AnthropicToolLoop),
                _ => ("/v1/messages", ClaudeCode),
            };
            if (path == "/v1/messages" && random.Next(4) == 0)
            {
                path = "/v1/messages/count_tokens";
            }

            var json = Mutated(sample, random);
            var content = new StringContent(json, Encoding.UTF8, "application/json");
            content.Headers.Add("anthropic-version", "2023-06-01");
            using var response = await gateway.Http.PostAsync(path, content);
            var text = await response.Content.ReadAsStringAsync();
            var status = (int)response.StatusCode;
            if (status >= 500 || (status >= 400 && !IsError(text, anthropic: path.StartsWith("/v1/messages", StringComparison.Ordinal))))
            {
                failures.Add($"{status} {path} {json} => {text}");
            }
        }

        Assert.Empty(failures);
    }

    private static string Mutated(string sample, Random random)
    {
        var root = JsonNode.Parse(sample)!.AsObject();
        for (var m = 1 + random.Next(3); m > 0; m--)
        {
            Mutate(root, random);
        }

        // The model stays routable, so the mutation reaches the codecs rather than stopping at the planner.
        root["model"] = Models[random.Next(Models.Length)];
        return root.ToJsonString();
    }

    private static void Mutate(JsonObject root, Random random)
    {
        var nodes = new List<JsonNode>();
        Collect(root, nodes);
        var target = nodes[random.Next(nodes.Count)];
        var remove = random.Next(5) == 0;
        switch (target.Parent)
        {
            case JsonObject parent:
                var name = parent.First(p => ReferenceEquals(p.Value, target)).Key;
                if (remove)
                {
                    parent.Remove(name);
                }
                else
                {
                    parent[name] = Replacements[random.Next(Replacements.Length)]();
                }

                break;
            case JsonArray parent:
                var index = parent.IndexOf(target);
                if (remove)
                {
                    parent.RemoveAt(index);
                }
                else
                {
                    parent[index] = Replacements[random.Next(Replacements.Length)]();
                }

                break;
        }
    }

    private static void Collect(JsonNode? node, List<JsonNode> nodes)
    {
        switch (node)
        {
            case JsonObject obj:
                nodes.Add(obj);
                foreach (var property in obj)
                {
                    Collect(property.Value, nodes);
                }

                break;
            case JsonArray array:
                nodes.Add(array);
                foreach (var item in array)
                {
                    Collect(item, nodes);
                }

                break;
            case not null:
                nodes.Add(node);
                break;
        }
    }

    private static bool IsError(string text, bool anthropic)
    {
        try
        {
            using var json = JsonDocument.Parse(text);
            var error = json.RootElement.GetProperty("error");
            return !string.IsNullOrEmpty(error.GetProperty("message").GetString()) &&
                   (!anthropic || json.RootElement.GetProperty("type").GetString() == "error");
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return false;
        }
    }
}
