using System.Text.Json;
using Spillway.Core.Chat;

namespace Spillway.Core.Codecs.Gemini;

/// <summary>Reads Gemini <c>Part</c> objects and <c>parts</c> arrays with a <see cref="Utf8JsonReader"/>.</summary>
internal static class GeminiPartDecoder
{
    /// <summary>Reads the <c>parts</c> array the reader is on.</summary>
    public static List<GeminiPart> ReadParts(ref Utf8JsonReader reader, ReadOnlySpan<byte> source)
    {
        var parts = new List<GeminiPart>();
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return parts;
        }

        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.StartObject)
            {
                parts.Add(Read(ref reader, source));
            }
            else
            {
                reader.Skip();
            }
        }

        return parts;
    }

    /// <summary>Reads the part object the reader is on, leaving it on the part's end.</summary>
    public static GeminiPart Read(ref Utf8JsonReader reader, ReadOnlySpan<byte> source)
    {
        var part = new GeminiPart();
        var start = checked((int)reader.TokenStartIndex);
        var hasData = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            reader.Read();
            switch (name)
            {
                case "text":
                    part.Text = GeminiJson.ReadString(ref reader) ?? string.Empty;
                    SetKind(part, GeminiPartKind.Text, name, ref hasData);
                    break;
                case "thought":
                    part.Thought = reader.TokenType == JsonTokenType.True;
                    break;
                case "thoughtSignature":
                    part.Signature = GeminiJson.ReadString(ref reader);
                    break;
                case "functionCall":
                    ReadCall(ref reader, source, part, "args");
                    SetKind(part, GeminiPartKind.FunctionCall, name, ref hasData);
                    break;
                case "functionResponse":
                    ReadCall(ref reader, source, part, "response");
                    SetKind(part, GeminiPartKind.FunctionResponse, name, ref hasData);
                    break;
                case "inlineData":
                    ReadBlob(ref reader, part, "data"u8);
                    SetKind(part, GeminiPartKind.InlineData, name, ref hasData);
                    break;
                case "fileData":
                    ReadBlob(ref reader, part, "fileUri"u8);
                    SetKind(part, GeminiPartKind.FileData, name, ref hasData);
                    break;
                case "videoMetadata" or "mediaResolution" or "partMetadata":
                    part.Extensions.Add(new ChatExtension(WireFormat.Gemini, name, GeminiJson.Capture(ref reader, source)));
                    break;
                default:
                    // A data member this codec does not know (executableCode, codeExecutionResult, …).
                    reader.Skip();
                    SetKind(part, GeminiPartKind.Other, name, ref hasData);
                    part.OtherType ??= name;
                    break;
            }
        }

        part.Raw = new RawJson(source[start..checked((int)reader.BytesConsumed)].ToArray());
        return part;
    }

    private static void SetKind(GeminiPart part, GeminiPartKind kind, string name, ref bool hasData)
    {
        // A part holds one data member; two make it something this codec cannot read, so it is kept whole.
        if (hasData)
        {
            part.Kind = GeminiPartKind.Other;
            part.OtherType ??= name;
            return;
        }

        hasData = true;
        part.Kind = kind;
    }

    private static void ReadCall(ref Utf8JsonReader reader, ReadOnlySpan<byte> source, GeminiPart part, string payload)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            reader.Read();
            if (name == "name")
            {
                part.Name = GeminiJson.ReadString(ref reader);
            }
            else if (name == "id")
            {
                part.CallId = GeminiJson.ReadString(ref reader);
            }
            else if (name == payload)
            {
                part.Payload = GeminiJson.Capture(ref reader, source);
            }
            else
            {
                reader.Skip();
            }
        }
    }

    private static void ReadBlob(ref Utf8JsonReader reader, GeminiPart part, ReadOnlySpan<byte> dataName)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isMime = reader.ValueTextEquals("mimeType"u8);
            var isData = reader.ValueTextEquals(dataName);
            reader.Read();
            if (isMime)
            {
                part.MimeType = GeminiJson.ReadString(ref reader);
            }
            else if (isData)
            {
                part.Data = GeminiJson.ReadString(ref reader);
            }
            else
            {
                reader.Skip();
            }
        }
    }
}
