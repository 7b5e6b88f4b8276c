using System.Text;
using System.Text.Json;

namespace Spillway.Core.Chat;

/// <summary>
/// One JSON value kept as the UTF-8 bytes it arrived as: a tool's JSON Schema, a vendor hint, an opaque block.
/// Never re-serialized, so key order, number spelling and integers above 2^53 survive a round trip.
/// </summary>
/// <remarks>Equality compares the bytes, so two values spelled differently are different.</remarks>
public readonly struct RawJson : IEquatable<RawJson>
{
    /// <summary>Wraps <paramref name="utf8"/>, which must hold exactly one JSON value; it is not copied.</summary>
    public RawJson(ReadOnlyMemory<byte> utf8) => Utf8 = utf8;

    /// <summary>The value's bytes.</summary>
    public ReadOnlyMemory<byte> Utf8 { get; }

    /// <summary>True for the default instance, which holds no value.</summary>
    public bool IsEmpty => Utf8.IsEmpty;

    public static bool operator ==(RawJson left, RawJson right) => left.Equals(right);

    public static bool operator !=(RawJson left, RawJson right) => !left.Equals(right);

    /// <summary>Copies <paramref name="json"/> as UTF-8; for values built in code.</summary>
    public static RawJson FromString(string json) => new(Encoding.UTF8.GetBytes(json));

    /// <summary>Writes the value as it is into <paramref name="writer"/> (as a property value or array item).</summary>
    public void WriteTo(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteRawValue(Utf8.Span, skipInputValidation: true);
    }

    public bool Equals(RawJson other) => Utf8.Span.SequenceEqual(other.Utf8.Span);

    public override bool Equals(object? obj) => obj is RawJson other && Equals(other);

    public override int GetHashCode()
    {
        var hash = default(HashCode);
        hash.AddBytes(Utf8.Span);
        return hash.ToHashCode();
    }

    /// <summary>The JSON text.</summary>
    public override string ToString() => Encoding.UTF8.GetString(Utf8.Span);
}
