using System.Text.Json;

namespace Spillway.Core.Chat;

/// <summary>
/// Moves the fields of a wire object that the canonical model has no place for into extensions of that object's
/// format, and writes them back: what only one format understands survives a trip through the same format.
/// </summary>
/// <remarks>
/// A dotted name places a field one object down (<c>usage.service_tier</c> sits in <c>usage</c>); a name with a
/// hyphen is not a body field (<c>anthropic-beta</c>) and is never written as one.
/// </remarks>
internal static class ExtensionFields
{
    /// <summary>Adds every property of <paramref name="obj"/> not in <paramref name="known"/>, named with <paramref name="prefix"/>.</summary>
    public static void Collect(
        WireFormat format, JsonElement obj, ReadOnlySpan<string> known, List<ChatExtension> into, string prefix = "")
    {
        if (obj.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        foreach (var property in obj.EnumerateObject())
        {
            if (!known.Contains(property.Name))
            {
                into.Add(new ChatExtension(format, prefix + property.Name, JsonElementReader.Raw(property.Value)));
            }
        }
    }

    /// <summary>The extras of <paramref name="obj"/> as a bag.</summary>
    public static ChatExtensions Of(WireFormat format, JsonElement obj, ReadOnlySpan<string> known, string prefix = "")
    {
        var extras = new List<ChatExtension>();
        Collect(format, obj, known, extras, prefix);
        return extras.Count == 0 ? ChatExtensions.Empty : ChatExtensions.Of(extras);
    }

    /// <summary>Writes the fields of <paramref name="format"/> that sit directly under <paramref name="prefix"/>.</summary>
    public static void WriteOwn(Utf8JsonWriter writer, WireFormat format, ChatExtensions extensions, string prefix = "")
    {
        foreach (var item in extensions.Items)
        {
            if (item.Format == format && TryLocal(item.Name, prefix, out var name))
            {
                writer.WritePropertyName(name);
                item.Value.WriteTo(writer);
            }
        }
    }

    /// <summary>True when a field of <paramref name="format"/> sits under <paramref name="prefix"/>.</summary>
    public static bool HasAny(ChatExtensions extensions, WireFormat format, string prefix) =>
        extensions.Items.Any(x => x.Format == format && TryLocal(x.Name, prefix, out _));

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
