using System.Text;

namespace Spillway.Bench.Load.Upstream;

/// <summary>
/// The fixed answers of the simulated upstream, encoded once. Shapes are OpenAI's own
/// (fixtures openai-chat-completion-200-with-ratelimit-headers.txt and openai-chat-stream-text.sse).
/// </summary>
internal static class UpstreamPayloads
{
    private const string Head =
        "\"id\":\"chatcmpl-bench0000000000000000000001\",\"object\":\"chat.completion.chunk\",\"created\":1763298303,\"model\":\"bench-model\",\"system_fingerprint\":\"fp_bench\"";

    /// <summary>The words of the answer; a stream sends one per content chunk.</summary>
    private static readonly string[] Words = ["Hello", " there", "!", " How", " can", " I", " help", " you", " today", "?"];

    /// <summary>A small non-streamed <c>chat.completion</c> with usage.</summary>
    public static byte[] Completion { get; } = Encoding.UTF8.GetBytes(
        "{\"id\":\"chatcmpl-bench0000000000000000000001\",\"object\":\"chat.completion\",\"created\":1763298303," +
        "\"model\":\"bench-model\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\"," +
        "\"content\":\"Hello there! How can I help you today?\",\"refusal\":null,\"annotations\":[]},\"finish_reason\":\"stop\"}]," +
        "\"usage\":{\"prompt_tokens\":20,\"completion_tokens\":10,\"total_tokens\":30," +
        "\"prompt_tokens_details\":{\"cached_tokens\":0,\"audio_tokens\":0}," +
        "\"completion_tokens_details\":{\"reasoning_tokens\":0,\"audio_tokens\":0,\"accepted_prediction_tokens\":0,\"rejected_prediction_tokens\":0}}," +
        "\"service_tier\":\"default\",\"system_fingerprint\":null}");

    /// <summary>The role chunk that opens a stream (<c>content:""</c>: it carries no content yet).</summary>
    public static byte[] RoleEvent { get; } = Event(
        "{" + Head + ",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null},\"logprobs\":null,\"finish_reason\":null}]}");

    /// <summary>One content chunk per word.</summary>
    public static IReadOnlyList<byte[]> ContentEvents { get; } = [.. Words.Select(word => Event(
        "{" + Head + ",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + word + "\"},\"logprobs\":null,\"finish_reason\":null}]}"))];

    /// <summary>The chunk with an empty delta and the finish reason.</summary>
    public static byte[] FinishEvent { get; } = Event(
        "{" + Head + ",\"choices\":[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}]}");

    /// <summary>The usage chunk (<c>choices:[]</c>), sent when the request asked for <c>stream_options.include_usage</c>.</summary>
    public static byte[] UsageEvent { get; } = Event(
        "{" + Head + ",\"choices\":[],\"usage\":{\"prompt_tokens\":20,\"completion_tokens\":10,\"total_tokens\":30,\"completion_tokens_details\":{\"reasoning_tokens\":0}}}");

    public static byte[] DoneEvent { get; } = Encoding.UTF8.GetBytes("data: [DONE]\n\n");

    /// <summary>OpenAI's billing 429 (fixture openai-429-samples.json): a quota that no wait brings back.</summary>
    public static byte[] InsufficientQuota { get; } = Encoding.UTF8.GetBytes(
        "{\"error\":{\"message\":\"You exceeded your current quota, please check your plan and billing details.\"," +
        "\"type\":\"insufficient_quota\",\"param\":null,\"code\":\"insufficient_quota\"}}");

    private static byte[] Event(string json) => Encoding.UTF8.GetBytes("data: " + json + "\n\n");
}
