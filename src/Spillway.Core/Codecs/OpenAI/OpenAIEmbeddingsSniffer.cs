using System.Text.Json;
using Spillway.Core.Chat;

namespace Spillway.Core.Codecs.OpenAI;

/// <summary>
/// Reads an OpenAI embeddings body (<c>CreateEmbeddingRequest</c>, wire-facts §1.6) in one <see cref="Utf8JsonReader"/>
/// pass for what routing needs, and checks it as OpenAI does, so bad input gets OpenAI's 400 before any call:
/// <c>model</c> a string; <c>input</c> a non-empty string, a list of 1 to 2048 non-empty strings, a non-empty list of
/// token ids, or a list of such lists; <c>encoding_format</c> <c>float</c> or <c>base64</c>; <c>dimensions</c> a
/// positive integer. Other fields (<c>user</c>) ride along to an OpenAI-format host as they came.
/// </summary>
public static class OpenAIEmbeddingsSniffer
{
    /// <summary>OpenAI's cap on the inputs of one request.</summary>
    public const int MaxInputs = 2048;

    /// <summary>The request, or the 400 that refuses it.</summary>
    public static ChatResult<EmbeddingsRequest> Sniff(ReadOnlyMemory<byte> body)
    {
        try
        {
            return Read(body);
        }
        catch (JsonException ex)
        {
            return ChatError.InvalidRequest($"The request body is not valid JSON: {ex.Message}");
        }
    }

    private static ChatResult<EmbeddingsRequest> Read(ReadOnlyMemory<byte> body)
    {
        var reader = new Utf8JsonReader(body.Span, new JsonReaderOptions { MaxDepth = 8 });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return ChatError.InvalidRequest("The request body must be a JSON object.");
        }

        string? model = null;
        Input? input = null;
        int? dimensions = null;
        var base64 = false;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            if (!seen.Add(name))
            {
                // Two readers of one body may take different copies (the gateway the first, a host the last).
                return ChatError.InvalidRequest($"'{name}' is given twice.", name);
            }

            reader.Read();
            switch (name)
            {
                case "model":
                    if (reader.TokenType != JsonTokenType.String || reader.GetString() is not { Length: > 0 } text)
                    {
                        return ChatError.InvalidRequest("'model' must be a non-empty string.", "model");
                    }

                    model = text;
                    break;
                case "input":
                    var read = ReadInput(ref reader);
                    if (read.Error is { } bad)
                    {
                        return ChatError.InvalidRequest(bad, "input");
                    }

                    input = read;
                    break;
                case "encoding_format":
                    if (reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("base64"u8))
                    {
                        base64 = true;
                    }
                    else if (reader.TokenType != JsonTokenType.String || !reader.ValueTextEquals("float"u8))
                    {
                        return ChatError.InvalidRequest("'encoding_format' must be 'float' or 'base64'.", "encoding_format");
                    }

                    break;
                case "dimensions":
                    if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out var asked) || asked < 1)
                    {
                        return ChatError.InvalidRequest("'dimensions' must be a positive integer.", "dimensions");
                    }

                    dimensions = asked;
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        if (model is null)
        {
            return ChatError.InvalidRequest("you must provide a model parameter", "model");
        }

        if (input is not { } given)
        {
            return ChatError.InvalidRequest("'input' is required: a string, a list of strings, or token ids.", "input");
        }

        return new EmbeddingsRequest
        {
            Body = body,
            Model = model,
            InputKind = given.Kind,
            InputCount = given.Count,
            TokenIdCount = given.TokenIds,
            InputRange = given.Range,
            Dimensions = dimensions,
            Base64 = base64,
        };
    }

    private static Input ReadInput(ref Utf8JsonReader reader)
    {
        var start = (int)reader.TokenStartIndex;
        if (reader.TokenType == JsonTokenType.String)
        {
            return reader.ValueSpan.IsEmpty && !reader.ValueIsEscaped
                ? Input.Bad("'input' cannot be an empty string.")
                : new Input(EmbeddingsInputKind.Text, 1, 0, start..(int)reader.BytesConsumed);
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return Input.Bad("'input' must be a string, a list of strings, or token ids.");
        }

        EmbeddingsInputKind? kind = null;
        var count = 0;
        long tokenIds = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var item = reader.TokenType switch
            {
                JsonTokenType.String => EmbeddingsInputKind.Texts,
                JsonTokenType.Number => EmbeddingsInputKind.Tokens,
                JsonTokenType.StartArray => EmbeddingsInputKind.TokenLists,
                _ => (EmbeddingsInputKind?)null,
            };
            if (item is null || (kind is { } first && first != item))
            {
                return Input.Bad("'input' must be a list of strings, a list of token ids, or a list of token-id lists, not a mix.");
            }

            kind = item;
            count++;
            switch (item)
            {
                case EmbeddingsInputKind.Texts when reader.ValueSpan.IsEmpty && !reader.ValueIsEscaped:
                    return Input.Bad($"'input[{count - 1}]' cannot be an empty string.");
                case EmbeddingsInputKind.Tokens when !reader.TryGetInt32(out var id) || id < 0:
                    return Input.Bad($"'input[{count - 1}]' is not a token id (a non-negative integer).");
                case EmbeddingsInputKind.Tokens:
                    tokenIds++;
                    break;
                case EmbeddingsInputKind.TokenLists:
                    var ids = 0;
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out var inner) || inner < 0)
                        {
                            return Input.Bad($"'input[{count - 1}]' must be a list of token ids (non-negative integers).");
                        }

                        ids++;
                    }

                    if (ids == 0)
                    {
                        return Input.Bad($"'input[{count - 1}]' cannot be an empty list.");
                    }

                    tokenIds += ids;
                    break;
            }

            if (count > MaxInputs)
            {
                return Input.Bad($"'input' may hold at most {MaxInputs} items.");
            }
        }

        if (kind is not { } found)
        {
            return Input.Bad("'input' cannot be an empty list.");
        }

        // A flat list of token ids is one input (one vector), however many ids it holds.
        return new Input(found, found == EmbeddingsInputKind.Tokens ? 1 : count, tokenIds, start..(int)reader.BytesConsumed);
    }

    private readonly record struct Input(EmbeddingsInputKind Kind, int Count, long TokenIds, Range Range, string? Error = null)
    {
        public static Input Bad(string error) => new(default, 0, 0, default, error);
    }
}
