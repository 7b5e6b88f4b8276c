using System.Text;
using System.Text.Json.Nodes;

namespace Spillway.Simulator.Tests;

/// <summary>Builds Anthropic Messages calls to a running simulator and reads its named-event streams.</summary>
internal static class AnthropicCalls
{
    public const string Key = "sk-ant-test-key-A001";

    public const string WeatherTool = "\"tools\":[{\"name\":\"get_weather\",\"input_schema\":{\"type\":\"object\"," +
        "\"properties\":{\"location\":{\"type\":\"string\"},\"days\":{\"type\":\"integer\"}},\"required\":[\"location\",\"days\"]}}]";

    public static string Body(string model = "claude-sim", bool stream = false, int maxTokens = 1024, string? extraMembers = null)
    {
        var builder = new StringBuilder();
        builder.Append("{\"model\":\"").Append(model).Append("\",\"max_tokens\":").Append(maxTokens)
            .Append(",\"system\":\"Be brief.\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello there, simulator\"}]");
        if (stream)
        {
            builder.Append(",\"stream\":true");
        }

        if (extraMembers is not null)
        {
            builder.Append(',').Append(extraMembers);
        }

        return builder.Append('}').ToString();
    }

    /// <summary>Posts to <c>{root}{path}</c>; <paramref name="version"/> null leaves out <c>anthropic-version</c>.</summary>
    public static async Task<HttpResponseMessage> PostAsync(
        HttpClient client,
        Uri root,
        string body,
        string? key = Key,
        string? version = "2023-06-01",
        bool bearer = false,
        string query = "",
        string path = "v1/messages")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(root, path + query))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        if (key is not null)
        {
            if (bearer)
            {
                request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
            }
            else
            {
                request.Headers.Add("x-api-key", key);
            }
        }

        if (version is not null)
        {
            request.Headers.Add("anthropic-version", version);
        }

        return await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }

    /// <summary>The (event name, data JSON) pairs of an SSE text, in order.</summary>
    public static List<(string Event, JsonNode Data)> Events(string sse)
    {
        var events = new List<(string, JsonNode)>();
        string? name = null;
        foreach (var line in sse.Split('\n'))
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                name = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                events.Add((name ?? string.Empty, JsonNode.Parse(line["data: ".Length..])!));
                name = null;
            }
        }

        return events;
    }

    /// <summary>The event names with runs of the same name collapsed: the shape of a stream whatever its length.</summary>
    public static List<string> Shape(IEnumerable<(string Event, JsonNode Data)> events)
    {
        var shape = new List<string>();
        foreach (var (name, _) in events)
        {
            if (shape.Count == 0 || shape[^1] != name)
            {
                shape.Add(name);
            }
        }

        return shape;
    }
}
