using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Spillway.Core.Codecs.OpenAI;

/// <summary>Writes a .NET string as a quoted JSON string into a buffer, without a writer object.</summary>
internal static class JsonStringWriter
{
    public static void WriteQuoted(IBufferWriter<byte> output, string value)
    {
        if (NeedsNoEscaping(value))
        {
            // Model ids are plain ASCII: copy them straight in.
            var span = output.GetSpan(value.Length + 2);
            span[0] = (byte)'"';
            var written = Encoding.ASCII.GetBytes(value, span[1..]);
            span[written + 1] = (byte)'"';
            output.Advance(written + 2);
            return;
        }

        output.Write("\""u8);
        output.Write(JsonEncodedText.Encode(value).EncodedUtf8Bytes);
        output.Write("\""u8);
    }

    private static bool NeedsNoEscaping(string value)
    {
        foreach (var c in value)
        {
            if (c is < ' ' or > '~' or '"' or '\\')
            {
                return false;
            }
        }

        return true;
    }
}
