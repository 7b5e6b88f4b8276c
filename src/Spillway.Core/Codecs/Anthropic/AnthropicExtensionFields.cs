using System.Text.Json;
using Spillway.Core.Chat;

namespace Spillway.Core.Codecs.Anthropic;

/// <summary><see cref="ExtensionFields"/> for the Anthropic format.</summary>
internal static class AnthropicExtensionFields
{
    /// <summary>Every property of <paramref name="obj"/> not in <paramref name="known"/>, named with <paramref name="prefix"/>.</summary>
    public static void Collect(JsonElement obj, ReadOnlySpan<string> known, List<ChatExtension> into, string prefix = "") =>
        ExtensionFields.Collect(WireFormat.Anthropic, obj, known, into, prefix);

    /// <summary>The extras of <paramref name="obj"/> as a bag.</summary>
    public static ChatExtensions Of(JsonElement obj, ReadOnlySpan<string> known) =>
        ExtensionFields.Of(WireFormat.Anthropic, obj, known);

    /// <summary>Writes the Anthropic fields of <paramref name="extensions"/> under <paramref name="prefix"/>; ignores the rest.</summary>
    public static void WriteOwn(Utf8JsonWriter writer, ChatExtensions extensions, string prefix = "") =>
        ExtensionFields.WriteOwn(writer, WireFormat.Anthropic, extensions, prefix);

    /// <summary>
    /// Writes the Anthropic fields of <paramref name="extensions"/> that belong to the object being written, and
    /// records or refuses the fields of other formats.
    /// </summary>
    public static ChatError? Write(Utf8JsonWriter writer, ChatExtensions extensions, DroppedHints dropped, string location)
    {
        WriteOwn(writer, extensions);
        return dropped.DropForeign(extensions, WireFormat.Anthropic, location);
    }

    /// <summary>The name relative to <paramref name="prefix"/>, when the field sits directly under it.</summary>
    public static bool TryLocal(string name, string prefix, out string local) =>
        ExtensionFields.TryLocal(name, prefix, out local);
}
