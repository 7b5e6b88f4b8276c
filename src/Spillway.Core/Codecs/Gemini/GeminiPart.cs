using Spillway.Core.Chat;

namespace Spillway.Core.Codecs.Gemini;

/// <summary>One Gemini <c>Part</c> as read from the wire, before it becomes canonical content.</summary>
internal sealed class GeminiPart
{
    public GeminiPartKind Kind { get; set; } = GeminiPartKind.Other;

    /// <summary>For <see cref="GeminiPartKind.Other"/>: the field that made it one (<c>executableCode</c>).</summary>
    public string? OtherType { get; set; }

    public string? Text { get; set; }

    public bool Thought { get; set; }

    /// <summary><c>thoughtSignature</c>: opaque, to be echoed back on the same part.</summary>
    public string? Signature { get; set; }

    /// <summary>The function's name (<c>functionCall</c>, <c>functionResponse</c>).</summary>
    public string? Name { get; set; }

    /// <summary>The call id Gemini gave, if any.</summary>
    public string? CallId { get; set; }

    /// <summary><c>functionCall.args</c> or <c>functionResponse.response</c>, as raw JSON.</summary>
    public RawJson Payload { get; set; }

    public string? MimeType { get; set; }

    /// <summary><c>inlineData.data</c> (base64) or <c>fileData.fileUri</c>.</summary>
    public string? Data { get; set; }

    /// <summary>The whole part as it arrived, for parts kept opaque.</summary>
    public RawJson Raw { get; set; }

    /// <summary>Part fields beside the data (<c>videoMetadata</c>, <c>mediaResolution</c>, …), kept for Gemini.</summary>
    public List<ChatExtension> Extensions { get; } = [];
}
