using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Unicode;

namespace Spillway.Core.Codecs.OpenAI;

/// <summary>
/// Reads what routing needs from an OpenAI chat request body in one forward pass of <see cref="Utf8JsonReader"/>,
/// without building a document: the model or model chain, streaming, tools, images, JSON mode, output cap, and
/// where each top-level property lies so the body can be forwarded with small edits.
/// </summary>
/// <remarks>
/// The body's size is the caller's concern. Bad input is a value, not an exception: a sniff whose
/// <see cref="ChatRequestSniff.Failure"/> carries a message for the client and the OpenAI <c>param</c>.
/// </remarks>
public static partial class OpenAIRequestSniffer
{
    /// <summary>The deepest nesting accepted, as in System.Text.Json's default; deeper bodies are refused.</summary>
    public const int MaxDepth = 64;

    // One more than our limit, so our own check (with its clear message) fires before the reader's exception.
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = MaxDepth + 1 };

    private static readonly ChatRequestSniffFailure TooDeep =
        new($"The request body nests JSON deeper than {MaxDepth} levels.", null);

    private static readonly ChatRequestSniffFailure NotUnicode = new(
        "The request body has a string with an unpaired surrogate escape (such as \\ud800); JSON text must be valid Unicode.", null);

    private enum Known
    {
        Other,
        Model,
        Models,
        Messages,
        Stream,
        StreamOptions,
        Tools,
        Functions,
        ResponseFormat,
        MaxTokens,
        MaxCompletionTokens,
        Temperature,
        TopP,
    }

    /// <summary>Sniffs <paramref name="body"/>; never throws for bad input.</summary>
    public static ChatRequestSniff Sniff(ReadOnlySpan<byte> body)
    {
        if (body.Trim(" \t\r\n"u8).IsEmpty)
        {
            return ChatRequestSniff.Fail("The request body is empty; expected a JSON object.", null);
        }

        if (!Utf8.IsValid(body))
        {
            return ChatRequestSniff.Fail("The request body is not valid UTF-8.", null);
        }

        try
        {
            return Walk(body);
        }
        catch (LoneSurrogateException)
        {
            return ChatRequestSniff.Fail(NotUnicode.Message, null);
        }
        catch (JsonException ex)
        {
            return IsTruncated(body)
                ? ChatRequestSniff.Fail("The request body is truncated: its JSON ends before it is complete.", null)
                : ChatRequestSniff.Fail(
                    $"The request body is not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}).",
                    null);
        }
    }

    private static ChatRequestSniff Walk(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body, ReaderOptions);
        if (Next(ref reader) != JsonTokenType.StartObject)
        {
            return ChatRequestSniff.Fail("The request body must be a JSON object.", null);
        }

        var state = new SniffState();
        // Gathered on the stack (a chat body has a handful of top-level properties), then copied into one exact array.
        Span<TopLevelProperty> properties = stackalloc TopLevelProperty[16];
        var count = 0;
        var seen = 0;
        while (Next(ref reader) != JsonTokenType.EndObject)
        {
            var start = (int)reader.TokenStartIndex;
            var nameLength = reader.ValueSpan.Length;
            var nameIsEscaped = reader.ValueIsEscaped;
            var known = Classify(ref reader);
            if (Duplicate(known, ref seen) is { } duplicate)
            {
                return ChatRequestSniff.Fail(duplicate.Message, duplicate.Param);
            }

            Next(ref reader);
            var valueStart = (int)reader.TokenStartIndex;
            var failure = ReadValue(ref reader, known, ref state);
            if (failure is not null)
            {
                return ChatRequestSniff.Fail(failure.Message, failure.Param);
            }

            var field = known switch
            {
                Known.Model => TopLevelField.Model,
                Known.Models => TopLevelField.Models,
                Known.StreamOptions => TopLevelField.StreamOptions,
                _ => TopLevelField.Other,
            };
            if (count == properties.Length)
            {
                var grown = new TopLevelProperty[count * 2];
                properties.CopyTo(grown);
                properties = grown;
            }

            properties[count++] = new TopLevelProperty(start, nameLength, nameIsEscaped, valueStart, EndOfValue(ref reader), field);
        }

        // Anything but whitespace after the object makes the reader throw here.
        if (reader.Read())
        {
            return ChatRequestSniff.Fail("The request body must be a single JSON object.", null);
        }

        var missing = CheckRequired(in state);
        if (missing is not null)
        {
            return ChatRequestSniff.Fail(missing.Message, missing.Param);
        }

        return new ChatRequestSniff
        {
            Model = string.IsNullOrEmpty(state.Model) ? null : state.Model,
            Models = state.Models ?? [],
            Stream = state.Stream,
            HasStreamOptions = state.HasStreamOptions,
            IncludeUsage = state.IncludeUsage,
            HasTools = state.HasTools,
            HasFunctions = state.HasFunctions,
            HasImages = state.HasImages,
            ResponseFormat = state.ResponseFormat,
            MaxTokens = state.MaxTokens,
            MaxCompletionTokens = state.MaxCompletionTokens,
            Properties = ImmutableArray.Create<TopLevelProperty>(properties[..count]),
            BodyLength = body.Length,
        };
    }

    private static ChatRequestSniffFailure? CheckRequired(in SniffState state)
    {
        if (string.IsNullOrEmpty(state.Model) && (state.Models is null || state.Models.Value.IsEmpty))
        {
            return new("The request must name a 'model' (or give a 'models' list).", "model");
        }

        if (state.MessageCount is null)
        {
            return new("The request is missing 'messages', the array of chat messages.", "messages");
        }

        return state.MessageCount == 0
            ? new("'messages' must contain at least one message.", "messages")
            : null;
    }

    private static Known Classify(ref Utf8JsonReader reader)
    {
        // ValueTextEquals decodes escaped names ("mod\u0065l"), so a client cannot slip a field past the sniffer.
        if (reader.ValueTextEquals("model"u8)) return Known.Model;
        if (reader.ValueTextEquals("messages"u8)) return Known.Messages;
        if (reader.ValueTextEquals("stream"u8)) return Known.Stream;
        if (reader.ValueTextEquals("stream_options"u8)) return Known.StreamOptions;
        if (reader.ValueTextEquals("tools"u8)) return Known.Tools;
        if (reader.ValueTextEquals("max_tokens"u8)) return Known.MaxTokens;
        if (reader.ValueTextEquals("max_completion_tokens"u8)) return Known.MaxCompletionTokens;
        if (reader.ValueTextEquals("response_format"u8)) return Known.ResponseFormat;
        if (reader.ValueTextEquals("models"u8)) return Known.Models;
        if (reader.ValueTextEquals("functions"u8)) return Known.Functions;
        if (reader.ValueTextEquals("temperature"u8)) return Known.Temperature;
        if (reader.ValueTextEquals("top_p"u8)) return Known.TopP;
        return Known.Other;
    }

    /// <summary>Reads one top-level value; leaves the reader on the value's last token.</summary>
    private static ChatRequestSniffFailure? ReadValue(ref Utf8JsonReader reader, Known known, ref SniffState state)
    {
        switch (known)
        {
            case Known.Model:
                if (reader.TokenType == JsonTokenType.String)
                {
                    state.Model = reader.GetString();
                    return state.Model!.Length == 0 ? null : ModelNameFailure(state.Model, "model");
                }

                return reader.TokenType == JsonTokenType.Null ? null : new("'model' must be a string.", "model");

            case Known.Models:
                return ReadModels(ref reader, ref state);

            case Known.Messages:
                return reader.TokenType == JsonTokenType.StartArray
                    ? ReadMessages(ref reader, ref state)
                    : new("'messages' must be an array of messages.", "messages");

            case Known.Stream:
                switch (reader.TokenType)
                {
                    case JsonTokenType.True or JsonTokenType.False:
                        state.Stream = reader.TokenType == JsonTokenType.True;
                        return null;
                    case JsonTokenType.Null:
                        state.Stream = false;
                        return null;
                    default:
                        return new("'stream' must be a boolean.", "stream");
                }

            case Known.StreamOptions:
                return ReadStreamOptions(ref reader, ref state);

            case Known.Tools:
                return ReadTools(ref reader, ref state);

            case Known.Functions:
                state.HasFunctions = reader.TokenType != JsonTokenType.Null;
                return Skip(ref reader);

            case Known.ResponseFormat:
                return ReadResponseFormat(ref reader, ref state);

            case Known.MaxTokens:
                return ReadTokenLimit(ref reader, "max_tokens", out state.MaxTokens);

            case Known.MaxCompletionTokens:
                return ReadTokenLimit(ref reader, "max_completion_tokens", out state.MaxCompletionTokens);

            case Known.Temperature:
                return NumberOrNull(ref reader, "temperature");

            case Known.TopP:
                return NumberOrNull(ref reader, "top_p");

            default:
                return Skip(ref reader);
        }
    }

    private static ChatRequestSniffFailure? ReadModels(ref Utf8JsonReader reader, ref SniffState state)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return new("'models' must be an array of model names.", "models");
        }

        var models = ImmutableArray.CreateBuilder<string>();
        while (Next(ref reader) != JsonTokenType.EndArray)
        {
            var model = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            if (string.IsNullOrEmpty(model))
            {
                return new("'models' must be an array of model names.", "models");
            }

            if (ModelNameFailure(model, "models") is { } invalid)
            {
                return invalid;
            }

            models.Add(model);
        }

        state.Models = models.DrainToImmutable();
        return null;
    }

    private static JsonTokenType Next(ref Utf8JsonReader reader)
    {
        // With the whole body as the final block the reader throws on incomplete JSON; this guards the rest.
        if (!reader.Read())
        {
            throw new JsonException("Unexpected end of the JSON body.");
        }

        // Every string and name passes here, so no part of the body can carry text that is not Unicode.
        if (reader.ValueIsEscaped && reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName &&
            JsonEscapes.HasLoneSurrogate(reader.ValueSpan))
        {
            throw new LoneSurrogateException();
        }

        return reader.TokenType;
    }

    /// <summary>The offset just past the value whose last token the reader is on.</summary>
    internal static int EndOfValue(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        // ValueSpan is the raw (still escaped) text between the quotes.
        JsonTokenType.String => (int)reader.TokenStartIndex + reader.ValueSpan.Length + 2,
        JsonTokenType.EndObject or JsonTokenType.EndArray => (int)reader.TokenStartIndex + 1,
        _ => (int)reader.TokenStartIndex + reader.ValueSpan.Length,
    };

    private static bool IsTruncated(ReadOnlySpan<byte> body)
    {
        // The complete body failed to parse. If a reader told that more bytes may follow finds nothing wrong with
        // it, the body is a valid beginning of JSON that stops early: truncated, not malformed.
        var reader = new Utf8JsonReader(body, isFinalBlock: false, new JsonReaderState(ReaderOptions));
        try
        {
            while (reader.Read())
            {
            }

            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
