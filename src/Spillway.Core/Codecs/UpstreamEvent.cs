using Spillway.Core.Chat;

namespace Spillway.Core.Codecs;

/// <summary>What the engine needs to know about one streamed upstream event, whatever the upstream's format.</summary>
internal readonly record struct UpstreamEvent(
    bool IsDone,
    bool IsError,
    bool IsContentBearing,
    bool IsUsageOnly,
    bool HasFinish,
    bool IsMalformed,
    TokenUsage? Usage)
{
    /// <summary>An event that could not be read: dropped, and a break once the client has part of an answer.</summary>
    public static UpstreamEvent Malformed => new(false, false, false, false, false, IsMalformed: true, null);

    /// <summary>Set by a continuation that regenerated the answer: why it cannot be spliced onto the client's text.</summary>
    public string? Mismatch { get; init; }

    /// <summary>The provider's finish reason when this event carries one (for the span's <c>gen_ai.response.finish_reasons</c>).</summary>
    public string? FinishReason { get; init; }
}
