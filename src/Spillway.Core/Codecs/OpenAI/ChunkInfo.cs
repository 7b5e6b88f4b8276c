using Spillway.Core.Chat;

namespace Spillway.Core.Codecs.OpenAI;

/// <summary>
/// What the forwarding loop needs to know of one OpenAI-format stream event (see <see cref="OpenAIStreamChunk"/>).
/// </summary>
public readonly struct ChunkInfo
{
    /// <summary>The event is the <c>[DONE]</c> terminator.</summary>
    public bool IsDone { get; internal init; }

    /// <summary>The event's data is not a JSON object: the upstream sent something this gateway cannot read.</summary>
    public bool IsMalformed { get; internal init; }

    /// <summary>The chunk carries a top-level <c>error</c>: the upstream failed mid-stream.</summary>
    public bool IsError => Error is not null;

    /// <summary>The mid-stream error's details, or null.</summary>
    public OpenAIErrorDetails? Error { get; internal init; }

    /// <summary>
    /// The chunk carries output: a choice with non-empty <c>delta.content</c>, <c>delta.tool_calls</c>,
    /// <c>delta.function_call</c>, <c>delta.refusal</c>, <c>delta.reasoning</c> or <c>delta.reasoning_content</c>,
    /// or a non-null <c>finish_reason</c>. The first such chunk is the commit point. An error chunk is never
    /// content-bearing, even with OpenRouter's <c>finish_reason:"error"</c>, so a failure before the commit point
    /// can still fall back.
    /// </summary>
    public bool IsContentBearing { get; internal init; }

    /// <summary>The first non-null <c>finish_reason</c> among the choices, or null.</summary>
    public string? FinishReason { get; internal init; }

    /// <summary>Usage from the top-level <c>usage</c> when not null, else from Groq's <c>x_groq.usage</c>.</summary>
    public TokenUsage? Usage { get; internal init; }

    /// <summary>The chunk has usage and no choices: the extra chunk that <c>include_usage</c> asks for.</summary>
    public bool IsUsageOnly { get; internal init; }
}
