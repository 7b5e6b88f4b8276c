using System.Text.Json;
using Spillway.Core.Chat;

namespace Spillway.Core.Codecs.Anthropic;

/// <summary>
/// Anthropic <c>usage</c> both ways (wire-facts §6): <c>input_tokens</c> excludes the cache, so canonical input is
/// <c>input_tokens + cache_read_input_tokens + cache_creation_input_tokens</c>; <c>output_tokens</c> already
/// includes thinking.
/// </summary>
internal static class AnthropicUsage
{
    public const string Prefix = "usage.";

    private static readonly string[] Known =
    [
        "input_tokens", "output_tokens", "cache_creation_input_tokens", "cache_read_input_tokens", "output_tokens_details",
    ];

    /// <summary>Reads a usage object; fields without a canonical place go to <paramref name="extras"/> as <c>usage.*</c>.</summary>
    public static TokenUsage Read(JsonElement usage, List<ChatExtension>? extras)
    {
        var input = JsonElementReader.Long(usage, "input_tokens") ?? 0;
        var write = JsonElementReader.Long(usage, "cache_creation_input_tokens") ?? 0;
        var read = JsonElementReader.Long(usage, "cache_read_input_tokens") ?? 0;
        var output = JsonElementReader.Long(usage, "output_tokens") ?? 0;
        var thinking = JsonElementReader.TryGet(usage, "output_tokens_details", out var details)
            ? JsonElementReader.Long(details, "thinking_tokens") ?? 0
            : 0;
        if (extras is not null)
        {
            AnthropicExtensionFields.Collect(usage, Known, extras, Prefix);
        }

        return new TokenUsage(input + read + write, output, read, thinking, write);
    }

    /// <summary>Writes the input figures: uncached input, cache writes, cache reads.</summary>
    public static void WriteInput(Utf8JsonWriter writer, TokenUsage usage)
    {
        writer.WriteNumber("input_tokens"u8, usage.UncachedInputTokens);
        writer.WriteNumber("cache_creation_input_tokens"u8, usage.CacheWriteInputTokens);
        writer.WriteNumber("cache_read_input_tokens"u8, usage.CachedInputTokens);
    }

    /// <summary>Writes a whole usage object, with the Anthropic-only <c>usage.*</c> fields of <paramref name="extensions"/>.</summary>
    public static void Write(Utf8JsonWriter writer, TokenUsage usage, ChatExtensions extensions)
    {
        writer.WriteStartObject("usage"u8);
        WriteInput(writer, usage);
        writer.WriteNumber("output_tokens"u8, usage.OutputTokens);
        WriteThinkingDetails(writer, usage);
        WriteExtras(writer, extensions);
        writer.WriteEndObject();
    }

    public static void WriteThinkingDetails(Utf8JsonWriter writer, TokenUsage usage)
    {
        if (usage.ReasoningTokens > 0)
        {
            writer.WriteStartObject("output_tokens_details"u8);
            writer.WriteNumber("thinking_tokens"u8, usage.ReasoningTokens);
            writer.WriteEndObject();
        }
    }

    public static void WriteExtras(Utf8JsonWriter writer, ChatExtensions extensions) =>
        AnthropicExtensionFields.WriteOwn(writer, extensions, Prefix);
}
