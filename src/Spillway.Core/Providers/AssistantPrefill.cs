namespace Spillway.Core.Providers;

/// <summary>
/// Whether a host continues an answer from a trailing assistant message (an "assistant prefill"), and how it is
/// asked to. A broken stream is continued on the next route with the text already sent as the prefill; a host that
/// does not continue one (or is not known to) is asked for the whole answer instead, which is spliced on only when
/// it begins with exactly the text already sent.
/// </summary>
public enum AssistantPrefill
{
    /// <summary>Not known to continue a trailing assistant message (OpenAI itself answers it afresh).</summary>
    None,

    /// <summary>A trailing assistant message is continued (Anthropic; Groq; OpenRouter passes it on).</summary>
    Message,

    /// <summary>A trailing assistant message with <c>"prefix": true</c> is continued (Mistral, DeepSeek).</summary>
    PrefixFlag,
}
