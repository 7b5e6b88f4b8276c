namespace Spillway.Core.Codecs.Gemini;

/// <summary>The names of the Gemini fields this codec keeps in <see cref="Chat.ChatExtensions"/>.</summary>
internal static class GeminiNames
{
    /// <summary>
    /// On a text or tool-call part: the <c>thoughtSignature</c> Gemini attached to that part, echoed back on it.
    /// (On a thought part the signature is <see cref="Chat.ThinkingPart.Signature"/> instead.)
    /// </summary>
    public const string ThoughtSignature = "thoughtSignature";

    /// <summary>On an image part read from <c>fileData</c>: the media type that came with the URI.</summary>
    public const string FileDataMimeType = "fileData.mimeType";

    /// <summary>On a request: the non-function tools (<c>googleSearch</c>, <c>codeExecution</c>, …), as an array.</summary>
    public const string Tools = "tools";

    /// <summary>On a request: a <c>toolConfig</c> the canonical tool choice cannot express, kept whole.</summary>
    public const string ToolConfig = "toolConfig";

    /// <summary>The prefix of request fields that live inside <c>generationConfig</c>.</summary>
    public const string GenerationConfigPrefix = "generationConfig.";

    /// <summary>The prefix of request fields that live inside <c>generationConfig.thinkingConfig</c>.</summary>
    public const string ThinkingConfigPrefix = "generationConfig.thinkingConfig.";

    /// <summary>The prefix of response fields that live on the first candidate.</summary>
    public const string CandidatePrefix = "candidates.";

    /// <summary>On a response: Gemini's <c>promptFeedback</c>, kept whole.</summary>
    public const string PromptFeedback = "promptFeedback";
}
