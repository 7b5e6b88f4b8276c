using System.Text;

namespace Spillway.Bench.Micro;

/// <summary>
/// Whole upstream event streams as they arrive on the wire, built in code in the shapes of the fixtures
/// openai-chat-stream-text.sse and anthropic-messages-stream-text.sse, with the text deltas repeated to a
/// realistic answer length.
/// </summary>
internal static class SseStreams
{
    /// <summary>The 14 text deltas of the OpenAI fixture, JSON-escaped as they are on the wire.</summary>
    private static readonly string[] OpenAIDeltas =
    [
        "{\\\"", "city", "\\\":\\\"", "San", " Francisco", "\\\",\\\"", "temperature", "\\\":", "61", ",\\\"", "units",
        "\\\":\\\"", "f", "\\\"}",
    ];

    /// <summary>The 3 text deltas of the Anthropic fixture.</summary>
    private static readonly string[] AnthropicDeltas = ["Hello", " there", "!"];

    /// <summary>
    /// An OpenAI chat stream of 200 events: role, the fixture's 14 text deltas 14 times over, finish, usage,
    /// <c>[DONE]</c> (52 KB; one repetition is the fixture byte for byte).
    /// </summary>
    public static byte[] OpenAI200 { get; } = BuildOpenAI(repeats: 14, largeDeltaChars: 0);

    /// <summary>
    /// An Anthropic Messages stream of 200 named events: message_start, content_block_start, ping, 194 text deltas,
    /// content_block_stop, message_delta, message_stop (24 KB; the fixture's events, each ended by a blank line).
    /// </summary>
    public static byte[] Anthropic200 { get; } = BuildAnthropic(deltas: 194);

    /// <summary>
    /// An OpenAI chat stream whose one text delta carries 256 KiB (a long answer or tool argument sent at once):
    /// role, the 14 fixture deltas, the large delta, finish, usage, <c>[DONE]</c> (19 events, 261 KB).
    /// </summary>
    public static byte[] OpenAILargeEvent { get; } = BuildOpenAI(repeats: 1, largeDeltaChars: 256 * 1024);

    /// <summary>The stream named by a benchmark parameter.</summary>
    public static byte[] Named(string name) => name switch
    {
        "openai-200" => OpenAI200,
        "anthropic-200" => Anthropic200,
        "openai-256KiB-event" => OpenAILargeEvent,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Unknown stream."),
    };

    private static byte[] BuildOpenAI(int repeats, int largeDeltaChars)
    {
        var wire = new StringBuilder();
        AppendData(wire, Encoding.UTF8.GetString(Payloads.RoleChunk));
        for (var i = 0; i < repeats; i++)
        {
            foreach (var delta in OpenAIDeltas)
            {
                AppendData(wire, OpenAIContentChunk(delta));
            }
        }

        if (largeDeltaChars > 0)
        {
            var text = new StringBuilder(largeDeltaChars);
            while (text.Length < largeDeltaChars)
            {
                text.Append("The quick brown fox jumps over the lazy dog. ");
            }

            AppendData(wire, OpenAIContentChunk(text.ToString(0, largeDeltaChars)));
        }

        AppendData(wire, Encoding.UTF8.GetString(Payloads.FinishChunk));
        AppendData(wire, Encoding.UTF8.GetString(Payloads.UsageChunk));
        AppendData(wire, "[DONE]");
        return Encoding.UTF8.GetBytes(wire.ToString());
    }

    private static string OpenAIContentChunk(string escapedText) =>
        Payloads.ChunkHead + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + escapedText +
        "\"},\"logprobs\":null,\"finish_reason\":null}]}";

    private static byte[] BuildAnthropic(int deltas)
    {
        var wire = new StringBuilder();
        AppendEvent(wire, "message_start",
            "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_4QpJur2dWWDjF6C758FbBw5vm12BaVipnK\",\"type\":\"message\"," +
            "\"role\":\"assistant\",\"content\":[],\"model\":\"claude-3-opus-latest\",\"stop_reason\":null,\"stop_sequence\":null," +
            "\"usage\":{\"input_tokens\":11,\"output_tokens\":1}}}");
        AppendEvent(wire, "content_block_start",
            "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");
        AppendEvent(wire, "ping", "{\"type\": \"ping\"}");
        for (var i = 0; i < deltas; i++)
        {
            AppendEvent(wire, "content_block_delta",
                "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"" +
                AnthropicDeltas[i % AnthropicDeltas.Length] + "\"}}");
        }

        AppendEvent(wire, "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}");
        AppendEvent(wire, "message_delta",
            "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":" +
            deltas + "}}");
        AppendEvent(wire, "message_stop", "{\"type\":\"message_stop\"}");
        return Encoding.UTF8.GetBytes(wire.ToString());
    }

    private static void AppendEvent(StringBuilder wire, string name, string data) =>
        wire.Append("event: ").Append(name).Append('\n').Append("data: ").Append(data).Append("\n\n");

    private static void AppendData(StringBuilder wire, string data) => wire.Append("data: ").Append(data).Append("\n\n");
}
