using System.Text.Json;
using Spillway.Core.Chat;

namespace Spillway.Core.Codecs.Anthropic;

/// <summary>
/// Moves the fields of an Anthropic object that the canonical model has no place for into extensions, and writes
/// them back: what only Anthropic understands survives an Anthropic-to-Anthropic trip and is reported elsewhere.
/// </summary>
internal static class AnthropicExtensionFields
{
    /// <summary>Every property of <paramref name="obj"/> not in <paramref name="known"/>, named with <paramref name="prefix"/>.</summary>
    public static void Collect(
        JsonElement obj, ReadOnlySpan<string> known, List<ChatExtension> into, string prefix = "", bool mustHonor = false)
    {
        foreach (var property in obj.EnumerateObject())
        {
            if (!known.Contains(property.Name))
            {
                into.Add(new ChatExtension(
                    ChatFormat.Anthropic, prefix + property.Name, JsonElementReader.Raw(property.Value), mustHonor));
            }
        }
    }

    /// <summary>The extras of <paramref name="obj"/> as a bag.</summary>
    public static ChatExtensions Of(JsonElement obj, ReadOnlySpan<string> known)
    {
        var extras = new List<ChatExtension>();
        Collect(obj, known, extras);
        return extras.Count == 0 ? ChatExtensions.Empty : ChatExtensions.Of(extras);
    }

    /// <summary>Writes the Anthropic fields of <paramref name="extensions"/> under <paramref name="prefix"/>; ignores the rest.</summary>
    public static void WriteOwn(Utf8JsonWriter writer, ChatExtensions extensions, string prefix = "")
    {
        foreach (var item in extensions.Of(ChatFormat.Anthropic))
        {
            if (TryLocal(item.Name, prefix, out var name))
            {
                writer.WritePropertyName(name);
                item.Value.WriteTo(writer);
            }
        }
    }

    /// <summary>
    /// Writes the Anthropic fields of <paramref name="extensions"/> that sit under <paramref name="prefix"/> (the
    /// object being written) as properties; records or refuses the fields of other formats.
    /// </summary>
    public static ChatError? Write(
        Utf8JsonWriter writer, ChatExtensions extensions, DroppedHints dropped, string location, string prefix = "")
    {
        WriteOwn(writer, extensions, prefix);
        return prefix.Length == 0 ? dropped.DropForeign(extensions, ChatFormat.Anthropic, location) : null;
    }

    /// <summary>The name relative to <paramref name="prefix"/>, when the field sits directly under it.</summary>
    public static bool TryLocal(string name, string prefix, out string local)
    {
        local = name;
        if (!name.StartsWith(prefix, StringComparison.Ordinal))
        {
            return false;
        }

        local = name[prefix.Length..];
        return local.Length > 0 && !local.Contains('.', StringComparison.Ordinal) && !local.Contains('-', StringComparison.Ordinal);
    }
}
