using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spillway.Simulator;
using Spillway.TestSupport;
using Spillway.Tests.Support;

namespace Spillway.Tests.Endpoints;

/// <summary>
/// Real clients' request bodies (an OpenAI tool loop with images, an Anthropic tool loop, a Claude Code request) with
/// values swapped for ones of other types and shapes, sent to every route format: whatever the mutation, the answer is a
/// success or a 4xx in the caller's format, never a 5xx. A fixed seed keeps the run repeatable.
/// </summary>
public sealed class MutatedRequestTests
{
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
                0 => ("/v1/chat/completions", RequestSamples.OpenAIToolLoop),
                1 => ("/v1/messages", RequestSamples.AnthropicToolLoop),
                _ => ("/v1/messages", RequestSamples.ClaudeCode),
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
