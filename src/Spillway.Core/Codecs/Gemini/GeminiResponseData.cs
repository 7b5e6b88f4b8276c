using Spillway.Core.Chat;

namespace Spillway.Core.Codecs.Gemini;

/// <summary>One <c>GenerateContentResponse</c> (a whole answer or one stream chunk) as read from the wire.</summary>
internal sealed class GeminiResponseData
{
    public string? ResponseId { get; set; }

    public string? ModelVersion { get; set; }

    /// <summary>How many candidates came; only the first is read.</summary>
    public int CandidateCount { get; set; }

    /// <summary>The first candidate's parts.</summary>
    public List<GeminiPart> Parts { get; } = [];

    public string? FinishReason { get; set; }

    public GeminiUsage? Usage { get; set; }

    /// <summary><c>promptFeedback.blockReason</c>: the prompt itself was refused.</summary>
    public string? BlockReason { get; set; }

    /// <summary>A google.rpc.Status sent in place of a chunk (a failure after the stream began).</summary>
    public RawJson Error { get; set; }

    /// <summary>Fields with no canonical home (<c>avgLogprobs</c>, <c>safetyRatings</c>, <c>promptFeedback</c>, …).</summary>
    public List<ChatExtension> Extensions { get; } = [];
}
