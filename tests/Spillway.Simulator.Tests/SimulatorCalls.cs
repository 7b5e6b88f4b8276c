using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Spillway.Simulator.Tests;

/// <summary>Builds requests to a running simulator and reads its answers.</summary>
internal static class SimulatorCalls
{
    public const string Key = "sk-test-key-0001";

    public static string Body(string model = "sim-model", bool stream = false, bool includeUsage = false, string? extraMembers = null)
    {
        var builder = new StringBuilder();
        builder.Append("{\"model\":\"").Append(model).Append("\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello there, simulator\"}]");
        if (stream)
        {
            builder.Append(",\"stream\":true");
        }

        if (includeUsage)
        {
            builder.Append(",\"stream_options\":{\"include_usage\":true}");
        }

        if (extraMembers is not null)
        {
            builder.Append(',').Append(extraMembers);
        }

        return builder.Append('}').ToString();
    }

    public static HttpRequestMessage Chat(Uri providerBase, string body, string? key = Key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, providerBase + "/chat/completions")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return request;
    }

    public static async Task<HttpResponseMessage> PostAsync(HttpClient client, Uri providerBase, string body, string? key = Key, CancellationToken cancellationToken = default)
    {
        using var request = Chat(providerBase, body, key);
        return await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }

    public static async Task<JsonNode> JsonAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

    /// <summary>The SSE lines that are not blank: <c>data: …</c> payloads (without the prefix) and comments (with their ':').</summary>
    public static async Task<List<string>> SseLinesAsync(HttpResponseMessage response)
    {
        var lines = new List<string>();
        await using var stream = await response.Content.ReadAsStreamAsync();
        using var reader = new StreamReader(stream, Encoding.UTF8);
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            lines.Add(line.StartsWith("data: ", StringComparison.Ordinal) ? line["data: ".Length..] : line);
        }

        return lines;
    }

    public static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;

    /// <summary>Every member path of <paramref name="expected"/> (objects recursively, first array item) that <paramref name="actual"/> lacks.</summary>
    public static List<string> MissingMembers(JsonNode? expected, JsonNode? actual, string path = "$")
    {
        var missing = new List<string>();
        switch (expected)
        {
            case JsonObject expectedObject:
                if (actual is not JsonObject actualObject)
                {
                    missing.Add(path);
                    break;
                }

                foreach (var (name, value) in expectedObject)
                {
                    if (!actualObject.ContainsKey(name))
                    {
                        missing.Add(path + "." + name);
                    }
                    else
                    {
                        missing.AddRange(MissingMembers(value, actualObject[name], path + "." + name));
                    }
                }

                break;
            case JsonArray { Count: > 0 } expectedArray:
                if (actual is JsonArray { Count: > 0 } actualArray)
                {
                    missing.AddRange(MissingMembers(expectedArray[0], actualArray[0], path + "[0]"));
                }

                break;
            default:
                break;
        }

        return missing;
    }

    /// <summary>The JSON body of a recorded "headers then blank line then JSON" fixture.</summary>
    public static JsonNode FixtureBody(string name)
    {
        var text = Spillway.TestSupport.Fixtures.ReadText(name);
        return JsonNode.Parse(text[text.IndexOf('{', StringComparison.Ordinal)..])!;
    }

    public static bool IsJson(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
