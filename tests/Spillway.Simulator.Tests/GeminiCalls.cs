using System.Text;
using System.Text.Json.Nodes;

namespace Spillway.Simulator.Tests;

/// <summary>Builds Gemini native calls to a running simulator and reads its answers.</summary>
internal static class GeminiCalls
{
    public const string Key = "AIza-test-key-G001";

    public const string DivideTool = "\"tools\":[{\"functionDeclarations\":[{\"name\":\"customDivide\",\"description\":\"Custom divide function\"," +
        "\"parameters\":{\"type\":\"OBJECT\",\"properties\":{\"numerator\":{\"type\":\"NUMBER\"},\"denominator\":{\"type\":\"NUMBER\"}}}}]}]";

    public static string Body(string? extraMembers = null) =>
        "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"why is the sky blue?\"}]}],\"systemInstruction\":{\"parts\":[{\"text\":\"Be brief.\"}]}," +
        "\"generationConfig\":{}" + (extraMembers is null ? string.Empty : "," + extraMembers) + "}";

    /// <summary>Posts to <c>{root}v1beta/models/{model}:{method}</c>, with the key in the header or (<paramref name="keyInQuery"/>) in <c>?key=</c>.</summary>
    public static async Task<HttpResponseMessage> PostAsync(
        HttpClient client,
        Uri root,
        string body,
        string model = "gemini-sim",
        string method = "generateContent",
        string? key = Key,
        bool keyInQuery = false,
        bool sse = false)
    {
        var query = new List<string>();
        if (sse)
        {
            query.Add("alt=sse");
        }

        if (key is not null && keyInQuery)
        {
            query.Add("key=" + Uri.EscapeDataString(key));
        }

        var path = $"v1beta/models/{model}:{method}" + (query.Count > 0 ? "?" + string.Join('&', query) : string.Empty);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(root, path))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        if (key is not null && !keyInQuery)
        {
            request.Headers.Add("x-goog-api-key", key);
        }

        return await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }

    /// <summary>The recorded response bodies of a fixture.</summary>
    public static List<JsonNode> RecordedResponses(string fixture) =>
        [.. JsonNode.Parse(Spillway.TestSupport.Fixtures.ReadText(fixture))!["interactions"]![0]!["response"]!["bodySegments"]!.AsArray().Select(node => node!)];
}
