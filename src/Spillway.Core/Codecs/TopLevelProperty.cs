using System.Text.Json;

namespace Spillway.Core.Codecs;

/// <summary>
/// Where one top-level property of a request body lies: byte offsets into the body the sniff was taken from.
/// The rewriter copies these ranges instead of re-serializing, so everything it does not change stays byte-identical.
/// </summary>
public readonly struct TopLevelProperty
{
    internal TopLevelProperty(int start, int nameLength, bool nameIsEscaped, int valueStart, int end, TopLevelField field)
    {
        Start = start;
        NameLength = nameLength;
        NameIsEscaped = nameIsEscaped;
        ValueStart = valueStart;
        End = end;
        Field = field;
    }

    /// <summary>Offset of the opening quote of the property name.</summary>
    public int Start { get; }

    /// <summary>Length of the name between its quotes, as written (escapes not decoded).</summary>
    public int NameLength { get; }

    /// <summary>True when the written name contains escapes such as <c>\u0065</c>.</summary>
    public bool NameIsEscaped { get; }

    /// <summary>Offset of the first byte of the value.</summary>
    public int ValueStart { get; }

    /// <summary>Offset just past the last byte of the value.</summary>
    public int End { get; }

    /// <summary>The whole property, from the name's opening quote to the end of the value.</summary>
    public Range Range => Start..End;

    /// <summary>The value alone.</summary>
    public Range ValueRange => ValueStart..End;

    internal TopLevelField Field { get; }

    /// <summary>The name as written in <paramref name="body"/>, quotes included.</summary>
    public ReadOnlySpan<byte> QuotedName(ReadOnlySpan<byte> body) => body.Slice(Start, NameLength + 2);

    /// <summary>Compares the unescaped name with <paramref name="name"/>, ordinally.</summary>
    public bool NameEquals(ReadOnlySpan<byte> body, string name)
    {
        // A JSON string token decodes escapes for the comparison without allocating.
        var reader = new Utf8JsonReader(QuotedName(body));
        reader.Read();
        return reader.ValueTextEquals(name);
    }

    /// <summary>The unescaped name.</summary>
    public string GetName(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(QuotedName(body));
        reader.Read();
        return reader.GetString()!;
    }
}
