using Spillway.Core.Chat;

namespace Spillway.Core.Codecs.Gemini;

/// <summary>The canonical request's fields as a Gemini body is read, before the request is built.</summary>
internal sealed class GeminiRequestDraft
{
    public List<ChatMessage> Messages { get; } = [];

    public List<TextPart> System { get; } = [];

    public List<ChatTool> Tools { get; } = [];

    public ChatToolChoice? ToolChoice { get; set; }

    public List<string> StopSequences { get; } = [];

    public int? MaxOutputTokens { get; set; }

    public double? Temperature { get; set; }

    public double? TopP { get; set; }

    public int? TopK { get; set; }

    public long? Seed { get; set; }

    public ChatResponseFormat? ResponseFormat { get; set; }

    public ChatThinking? Thinking { get; set; }

    public List<ChatExtension> Extensions { get; } = [];

    /// <summary>A field that cannot be read, which makes the whole request one Gemini would refuse too.</summary>
    public ChatError? Error { get; set; }
}
