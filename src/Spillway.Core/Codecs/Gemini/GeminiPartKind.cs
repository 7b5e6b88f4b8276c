namespace Spillway.Core.Codecs.Gemini;

/// <summary>What a Gemini <c>Part</c> holds: the member of its <c>data</c> one-of that was set.</summary>
internal enum GeminiPartKind
{
    /// <summary><c>text</c>: an answer's text, or thought text when <c>thought</c> is true.</summary>
    Text,

    /// <summary><c>functionCall</c>.</summary>
    FunctionCall,

    /// <summary><c>functionResponse</c>.</summary>
    FunctionResponse,

    /// <summary><c>inlineData</c>: base64 bytes with a media type.</summary>
    InlineData,

    /// <summary><c>fileData</c>: a URI with an optional media type.</summary>
    FileData,

    /// <summary>Anything else (<c>executableCode</c>, <c>codeExecutionResult</c>, …): kept whole.</summary>
    Other,
}
