using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spillway.Core.Chat;
using Spillway.TestSupport;

namespace Spillway.Core.Tests.Codecs.Gemini;

/// <summary>Reads the recorded Gemini exchanges in shared/fixtures: bodies as compact JSON, streams as SSE bytes.</summary>
internal static class GeminiRecordings
{
    public const string Stream = "gemini-streamGenerateContent-sse-recording.json";
    public const string FunctionCalling = "gemini-generateContent-function-calling-recording.json";
    public const string SystemInstruction = "gemini-generateContent-systemInstruction-thoughtsTokenCount-recording.json";
    public const string WithConfig = "gemini-generateContent-with-config-recording.json";
    public const string CountTokens = "gemini-countTokens-recording.json";

    public static byte[] RequestBody(string name, int interaction = 0) =>
        Compact(Interaction(name, interaction).GetProperty("request").GetProperty("bodySegments")[0]);

    public static byte[] ResponseBody(string name, int interaction = 0) =>
        Compact(Interaction(name, interaction).GetProperty("response").GetProperty("bodySegments")[0]);

    public static string RequestUrl(string name, int interaction = 0) =>
        Interaction(name, interaction).GetProperty("request").GetProperty("url").GetString()!;

    public static List<byte[]> ResponseChunks(string name) =>
        [.. Interaction(name, 0).GetProperty("response").GetProperty("bodySegments").EnumerateArray().Select(Compact)];

    /// <summary>The recorded chunks as Gemini sends them on the wire: <c>data: {json}</c> and CRLF line ends.</summary>
    public static byte[] SseBytes(string name)
    {
        var text = new StringBuilder();
        foreach (var chunk in ResponseChunks(name))
        {
            text.Append("data: ").Append(Encoding.UTF8.GetString(chunk)).Append("\r\n\r\n");
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    public static JsonNode Parse(byte[] utf8) => JsonNode.Parse(utf8)!;

    public static JsonNode Parse(string json) => JsonNode.Parse(json)!;

    /// <summary>Asserts two JSON texts hold the same value (key order aside), showing both when not.</summary>
    public static void AssertJsonEqual(string expected, byte[] actual) =>
        AssertJsonEqual(Parse(expected), Parse(actual));

    public static void AssertJsonEqual(JsonNode expected, JsonNode actual) =>
        Assert.True(JsonNode.DeepEquals(expected, actual), $"Expected:\n{expected.ToJsonString()}\nActual:\n{actual.ToJsonString()}");

    private static JsonElement Interaction(string name, int index)
    {
        using var document = JsonDocument.Parse(Fixtures.ReadText(name));
        return document.RootElement.GetProperty("interactions")[index].Clone();
    }

    private static byte[] Compact(JsonElement element)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = ChatJsonWriter.Create(buffer))
        {
            element.WriteTo(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
