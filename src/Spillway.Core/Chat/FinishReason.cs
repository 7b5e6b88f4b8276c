namespace Spillway.Core.Chat;

/// <summary>Why the model stopped.</summary>
public enum FinishReason
{
    /// <summary>A natural end or a stop sequence (OpenAI <c>stop</c>; Anthropic <c>end_turn</c>, <c>stop_sequence</c>).</summary>
    Stop,

    /// <summary>The output limit was reached (OpenAI <c>length</c>; Anthropic <c>max_tokens</c>).</summary>
    Length,

    /// <summary>The model called tools and waits for results (OpenAI <c>tool_calls</c>; Anthropic <c>tool_use</c>).</summary>
    ToolCalls,

    /// <summary>Output was withheld by a content filter (OpenAI <c>content_filter</c>).</summary>
    ContentFilter,

    /// <summary>The model declined to answer (Anthropic <c>refusal</c>).</summary>
    Refusal,

    /// <summary>Anything else; <see cref="ChatFinish.Original"/> keeps the provider's word.</summary>
    Other,
}
