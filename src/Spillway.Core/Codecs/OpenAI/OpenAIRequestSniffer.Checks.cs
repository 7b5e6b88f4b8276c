using System.Text.Json;

namespace Spillway.Core.Codecs.OpenAI;

/// <summary>
/// The checks the door makes besides reading what routing needs: fields the gateway acts on have the right type
/// and a sane value, and appear once. A request that fails one is refused with a 400 before any upstream call
/// (a free-tier call spent on garbage is a call lost), whatever upstream it would have gone to.
/// </summary>
public static partial class OpenAIRequestSniffer
{
    /// <summary>The largest output cap accepted; beyond it the number is garbage to every provider.</summary>
    public const long MaxTokenLimit = int.MaxValue;

    private static readonly string[] Roles = ["system", "developer", "user", "assistant", "tool", "function"];

    /// <summary>A field the gateway acts on, sent twice: which one wins differs by parser, so neither is guessed.</summary>
    private static ChatRequestSniffFailure? Duplicate(Known known, ref int seen)
    {
        if (known == Known.Other)
        {
            return null;
        }

        var bit = 1 << (int)known;
        if ((seen & bit) != 0)
        {
            var name = NameOf(known);
            return new($"'{name}' appears more than once in the request body.", name);
        }

        seen |= bit;
        return null;
    }

    private static ChatRequestSniffFailure? ModelNameFailure(string name, string param) =>
        ModelNameRules.Problem(name) is { } problem ? new($"'{param}' {problem}: '{Shown(name)}'.", param) : null;

    /// <summary>An output cap: null, or a whole number from 1 to <see cref="MaxTokenLimit"/>.</summary>
    private static ChatRequestSniffFailure? ReadTokenLimit(ref Utf8JsonReader reader, string name, out long? limit)
    {
        limit = null;
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var value) && value is >= 1 and <= MaxTokenLimit)
        {
            limit = value;
            return null;
        }

        return new($"'{name}' must be a whole number from 1 to {MaxTokenLimit}.", name);
    }

    private static ChatRequestSniffFailure? NumberOrNull(ref Utf8JsonReader reader, string name) =>
        reader.TokenType == JsonTokenType.Null ||
        (reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out var number) && double.IsFinite(number))
            ? null
            : new($"'{name}' must be a number.", name);

    /// <summary>One message's <c>role</c>: one of the roles of the Chat Completions API.</summary>
    private static ChatRequestSniffFailure? CheckRole(ref Utf8JsonReader reader, int index)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            foreach (var role in Roles)
            {
                if (reader.ValueTextEquals(role))
                {
                    return null;
                }
            }
        }

        return new($"messages[{index}].role must be one of {string.Join(", ", Roles)}.", $"messages[{index}].role");
    }

    /// <summary>One message's <c>content</c>: text, an array of parts, or null (an assistant message with tool calls).</summary>
    private static ChatRequestSniffFailure? CheckContent(ref Utf8JsonReader reader, int index) =>
        reader.TokenType is JsonTokenType.String or JsonTokenType.StartArray or JsonTokenType.Null
            ? null
            : new($"messages[{index}].content must be a string or an array of content parts.", $"messages[{index}].content");

    private static string NameOf(Known known) => known switch
    {
        Known.Model => "model",
        Known.Models => "models",
        Known.Messages => "messages",
        Known.Stream => "stream",
        Known.StreamOptions => "stream_options",
        Known.Tools => "tools",
        Known.Functions => "functions",
        Known.ResponseFormat => "response_format",
        Known.MaxTokens => "max_tokens",
        Known.MaxCompletionTokens => "max_completion_tokens",
        Known.Temperature => "temperature",
        Known.TopP => "top_p",
        _ => "?",
    };

    /// <summary>A name as it may be shown in an error: cut short, control characters escaped.</summary>
    private static string Shown(string name)
    {
        var cut = name.Length <= 64 ? name : name[..(char.IsHighSurrogate(name[63]) ? 63 : 64)] + "\u2026";
        return string.Concat(cut.Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()));
    }

    /// <summary>Thrown from the token walk when a string escapes half a surrogate pair.</summary>
    private sealed class LoneSurrogateException : Exception
    {
    }
}
