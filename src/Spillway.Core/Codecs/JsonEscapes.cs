using System.Buffers.Text;

namespace Spillway.Core.Codecs;

/// <summary>Checks on the raw (still escaped) text of a JSON string.</summary>
public static class JsonEscapes
{
    /// <summary>
    /// True when <paramref name="raw"/>, the bytes between a JSON string's quotes, has a <c>\uD800</c>–<c>\uDFFF</c>
    /// escape that is not one half of a surrogate pair. Such a string is valid JSON syntax but not text: it cannot be
    /// read as a string, re-encoded or sent on in another format.
    /// </summary>
    public static bool HasLoneSurrogate(ReadOnlySpan<byte> raw)
    {
        var i = raw.IndexOf((byte)'\\');
        while (i >= 0 && i + 1 < raw.Length)
        {
            if (raw[i + 1] != (byte)'u')
            {
                i = Next(raw, i + 2);
                continue;
            }

            if (!TryReadCodeUnit(raw, i, out var unit))
            {
                return false;
            }

            if (char.IsLowSurrogate(unit))
            {
                return true;
            }

            if (char.IsHighSurrogate(unit))
            {
                if (!TryReadCodeUnit(raw, i + 6, out var low) || !char.IsLowSurrogate(low))
                {
                    return true;
                }

                i = Next(raw, i + 12);
                continue;
            }

            i = Next(raw, i + 6);
        }

        return false;
    }

    private static int Next(ReadOnlySpan<byte> raw, int from)
    {
        if (from >= raw.Length)
        {
            return -1;
        }

        var next = raw[from..].IndexOf((byte)'\\');
        return next < 0 ? -1 : from + next;
    }

    /// <summary>Reads the code unit of a <c>\uXXXX</c> escape starting at <paramref name="at"/>.</summary>
    private static bool TryReadCodeUnit(ReadOnlySpan<byte> raw, int at, out char unit)
    {
        unit = default;
        if (at + 6 > raw.Length || raw[at] != (byte)'\\' || raw[at + 1] != (byte)'u' ||
            !Utf8Parser.TryParse(raw.Slice(at + 2, 4), out ushort value, out var consumed, 'X') || consumed != 4)
        {
            return false;
        }

        unit = (char)value;
        return true;
    }
}
