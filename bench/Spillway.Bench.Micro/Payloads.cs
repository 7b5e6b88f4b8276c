using System.Text;

namespace Spillway.Bench.Micro;

/// <summary>
/// The bytes the benchmarks work on, in OpenAI's real shapes (fixtures openai-chat-stream-text.sse and
/// openai-chat-completion-200-with-ratelimit-headers.txt), built in code so the benchmarks need no files.
/// </summary>
internal static class Payloads
{
    /// <summary>A small chat request, the load benchmark's: one system and one user message.</summary>
    public static byte[] SmallRequest { get; } = Encoding.UTF8.GetBytes(
        "{\"model\":\"bench-one-step\",\"messages\":[{\"role\":\"system\",\"content\":\"You are a terse assistant.\"}," +
        "{\"role\":\"user\",\"content\":\"Say hello in ten words or fewer.\"}],\"max_tokens\":32}");

    /// <summary>The same, streamed, asking for usage.</summary>
    public static byte[] StreamRequest { get; } = Encoding.UTF8.GetBytes(
        "{\"model\":\"bench-one-step\",\"stream\":true,\"stream_options\":{\"include_usage\":true}," +
        "\"messages\":[{\"role\":\"system\",\"content\":\"You are a terse assistant.\"}," +
        "{\"role\":\"user\",\"content\":\"Say hello in ten words or fewer.\"}],\"max_tokens\":32}");

    /// <summary>A longer agent turn: 24 messages of about 300 characters and two tools, about 9 KB.</summary>
    public static byte[] LargeRequest { get; } = Encoding.UTF8.GetBytes(BuildLargeRequest());

    /// <summary>A non-streamed <c>chat.completion</c>, pretty-printed as OpenAI sends it, usage near the end.</summary>
    public static byte[] Completion { get; } = Encoding.UTF8.GetBytes("""
        {
          "id": "chatcmpl-CcWj9dBmozYrIh53F5tkednY14t4r",
          "object": "chat.completion",
          "created": 1763298303,
          "model": "gpt-5.1-chat-latest",
          "choices": [
            {
              "index": 0,
              "message": {
                "role": "assistant",
                "content": "Hello! How can I help you today?",
                "refusal": null,
                "annotations": []
              },
              "finish_reason": "stop"
            }
          ],
          "usage": {
            "prompt_tokens": 20,
            "completion_tokens": 18,
            "total_tokens": 38,
            "prompt_tokens_details": {
              "cached_tokens": 0,
              "audio_tokens": 0
            },
            "completion_tokens_details": {
              "reasoning_tokens": 0,
              "audio_tokens": 0,
              "accepted_prediction_tokens": 0,
              "rejected_prediction_tokens": 0
            }
          },
          "service_tier": "default",
          "system_fingerprint": null
        }
        """);

    internal const string ChunkHead =
        "{\"id\":\"chatcmpl-ABfw1e5abtU8OwGr15vOreYVb2MiF\",\"object\":\"chat.completion.chunk\",\"created\":1727346169," +
        "\"model\":\"gpt-4o-2024-08-06\",\"system_fingerprint\":\"fp_5050236cbd\",";

    /// <summary>The role chunk that opens a stream.</summary>
    public static byte[] RoleChunk { get; } = Encoding.UTF8.GetBytes(ChunkHead +
        "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null},\"logprobs\":null,\"finish_reason\":null}]}");

    /// <summary>A text delta: by far the most common chunk.</summary>
    public static byte[] ContentChunk { get; } = Encoding.UTF8.GetBytes(ChunkHead +
        "\"choices\":[{\"index\":0,\"delta\":{\"content\":\" Francisco\"},\"logprobs\":null,\"finish_reason\":null}]}");

    /// <summary>The chunk with the finish reason.</summary>
    public static byte[] FinishChunk { get; } = Encoding.UTF8.GetBytes(ChunkHead +
        "\"choices\":[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}]}");

    /// <summary>The usage chunk (<c>choices:[]</c>).</summary>
    public static byte[] UsageChunk { get; } = Encoding.UTF8.GetBytes(ChunkHead +
        "\"choices\":[],\"usage\":{\"prompt_tokens\":79,\"completion_tokens\":14,\"total_tokens\":93,\"completion_tokens_details\":{\"reasoning_tokens\":0}}}");

    /// <summary>The data of a whole short stream: role, 14 text deltas, finish, usage (17 events, as in the fixture).</summary>
    public static IReadOnlyList<byte[]> StreamEvents { get; } =
        [RoleChunk, .. Enumerable.Repeat(ContentChunk, 14), FinishChunk, UsageChunk];

    /// <summary>That stream as an upstream sends it: <c>data: ...</c> blocks, then <c>data: [DONE]</c>.</summary>
    public static byte[] StreamWire { get; } = BuildStreamWire();

    private static byte[] BuildStreamWire()
    {
        var wire = new StringBuilder();
        foreach (var data in StreamEvents)
        {
            wire.Append("data: ").Append(Encoding.UTF8.GetString(data)).Append("\n\n");
        }

        wire.Append("data: [DONE]\n\n");
        return Encoding.UTF8.GetBytes(wire.ToString());
    }

    private static string BuildLargeRequest()
    {
        var text = string.Concat(Enumerable.Repeat("The quick brown fox jumps over the lazy dog. ", 7));
        var messages = Enumerable.Range(0, 24).Select(i =>
            "{\"role\":\"" + (i % 2 == 0 ? "user" : "assistant") + "\",\"content\":\"" + text + i + "\"}");
        const string tool =
            "{\"type\":\"function\",\"function\":{\"name\":\"NAME\",\"description\":\"Looks things up.\",\"parameters\":" +
            "{\"type\":\"object\",\"properties\":{\"query\":{\"type\":\"string\"},\"limit\":{\"type\":\"integer\"}},\"required\":[\"query\"]}}}";
        return "{\"model\":\"bench-one-step\",\"messages\":[" + string.Join(',', messages) + "]," +
               "\"tools\":[" + tool.Replace("NAME", "search", StringComparison.Ordinal) + "," + tool.Replace("NAME", "fetch", StringComparison.Ordinal) + "]," +
               "\"temperature\":0.2,\"max_completion_tokens\":512}";
    }
}
