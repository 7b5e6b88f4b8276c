using System.Text.Json;
using Spillway.Core.Chat;

namespace Spillway.Core.Codecs.Gemini;

/// <summary>
/// Gemini's <c>usageMetadata</c> (wire-facts §3.2, §6): <c>promptTokenCount</c> includes cached content,
/// <c>candidatesTokenCount</c> excludes thoughts, <c>thoughtsTokenCount</c> is billed as output and
/// <c>toolUsePromptTokenCount</c> as input. So input = prompt + tool-use prompt, output = candidates + thoughts,
/// reasoning = thoughts, cached = <c>cachedContentTokenCount</c>.
/// </summary>
internal sealed class GeminiUsage
{
    public const string ExtensionPrefix = "usageMetadata.";

    private const string ToolUseExtension = ExtensionPrefix + "toolUsePromptTokenCount";

    public long Prompt { get; private set; }

    public long Candidates { get; private set; }

    public long Thoughts { get; private set; }

    public long Cached { get; private set; }

    public long ToolUsePrompt { get; private set; }

    /// <summary>The fields with no canonical home (per-modality details, <c>trafficType</c>, …), kept for Gemini.</summary>
    public List<ChatExtension> Extensions { get; } = [];

    public TokenUsage ToCanonical() =>
        new(Prompt + ToolUsePrompt, Candidates + Thoughts, Cached, Thoughts);

    /// <summary>Reads the <c>usageMetadata</c> object the reader is on.</summary>
    public static GeminiUsage? Read(ref Utf8JsonReader reader, ReadOnlySpan<byte> source)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return null;
        }

        var usage = new GeminiUsage();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            reader.Read();
            switch (name)
            {
                case "promptTokenCount":
                    usage.Prompt = GeminiJson.ReadInt64(ref reader) ?? 0;
                    break;
                case "candidatesTokenCount":
                    usage.Candidates = GeminiJson.ReadInt64(ref reader) ?? 0;
                    break;
                case "thoughtsTokenCount":
                    usage.Thoughts = GeminiJson.ReadInt64(ref reader) ?? 0;
                    break;
                case "cachedContentTokenCount":
                    usage.Cached = GeminiJson.ReadInt64(ref reader) ?? 0;
                    break;
                case "totalTokenCount":
                    // Always prompt + tool-use prompt + candidates + thoughts: recomputed when written.
                    reader.Skip();
                    break;
                case "toolUsePromptTokenCount":
                    var raw = GeminiJson.Capture(ref reader, source);
                    usage.ToolUsePrompt = ReadCount(raw);
                    usage.Extensions.Add(new ChatExtension(WireFormat.Gemini, ToolUseExtension, raw));
                    break;
                default:
                    usage.Extensions.Add(new ChatExtension(
                        WireFormat.Gemini, ExtensionPrefix + name, GeminiJson.Capture(ref reader, source)));
                    break;
            }
        }

        return usage;
    }

    /// <summary>
    /// Writes <c>usageMetadata</c> for <paramref name="tokens"/>, with the Gemini-only fields of
    /// <paramref name="extensions"/> put back.
    /// </summary>
    public static void Write(Utf8JsonWriter writer, TokenUsage tokens, ChatExtensions extensions)
    {
        var toolUse = extensions.Find(WireFormat.Gemini, ToolUseExtension) is { } raw ? ReadCount(raw) : 0;
        var prompt = Math.Max(0, tokens.InputTokens - toolUse);
        var candidates = Math.Max(0, tokens.OutputTokens - tokens.ReasoningTokens);

        writer.WriteStartObject("usageMetadata"u8);
        writer.WriteNumber("promptTokenCount"u8, prompt);
        writer.WriteNumber("candidatesTokenCount"u8, candidates);
        if (tokens.ReasoningTokens > 0)
        {
            writer.WriteNumber("thoughtsTokenCount"u8, tokens.ReasoningTokens);
        }

        if (tokens.CachedInputTokens > 0)
        {
            writer.WriteNumber("cachedContentTokenCount"u8, tokens.CachedInputTokens);
        }

        writer.WriteNumber("totalTokenCount"u8, tokens.TotalTokens);
        foreach (var extension in extensions.Of(WireFormat.Gemini))
        {
            if (extension.Name.StartsWith(ExtensionPrefix, StringComparison.Ordinal))
            {
                writer.WritePropertyName(extension.Name.AsSpan(ExtensionPrefix.Length));
                extension.Value.WriteTo(writer);
            }
        }

        writer.WriteEndObject();
    }

    private static long ReadCount(RawJson raw)
    {
        var reader = new Utf8JsonReader(raw.Utf8.Span);
        return reader.Read() ? GeminiJson.ReadInt64(ref reader) ?? 0 : 0;
    }
}
