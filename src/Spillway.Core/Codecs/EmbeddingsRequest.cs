using System.Text.Json;

namespace Spillway.Core.Codecs;

/// <summary>
/// What routing and translation need of a <c>POST /v1/embeddings</c> body, read in one pass without deserializing it
/// (<c>OpenAI/OpenAIEmbeddingsSniffer.cs</c>). The body's bytes are kept: an OpenAI-format host gets them with only
/// <c>model</c> rewritten, so the input strings are decoded only when a Gemini route or a token estimate needs them.
/// </summary>
public sealed class EmbeddingsRequest
{
    private IReadOnlyList<string>? _texts;

    /// <summary>The whole body as the client sent it.</summary>
    public required ReadOnlyMemory<byte> Body { get; init; }

    /// <summary>The alias or <c>provider/model</c> route the client named.</summary>
    public required string Model { get; init; }

    public required EmbeddingsInputKind InputKind { get; init; }

    /// <summary>How many vectors the client asked for (1 for a single string or token list).</summary>
    public required int InputCount { get; init; }

    /// <summary>The token ids sent, for token inputs (they are the tokens billed); 0 for text.</summary>
    public long TokenIdCount { get; init; }

    /// <summary>Where <c>input</c>'s value lies in <see cref="Body"/>.</summary>
    public required Range InputRange { get; init; }

    /// <summary><c>dimensions</c>: the vector length asked for; null for the model's own.</summary>
    public int? Dimensions { get; init; }

    /// <summary><c>encoding_format: "base64"</c>: each vector as its float32 little-endian bytes, base64-encoded.</summary>
    public bool Base64 { get; init; }

    /// <summary>True for token-id input, which only an OpenAI-format host understands.</summary>
    public bool IsTokenInput => InputKind is EmbeddingsInputKind.Tokens or EmbeddingsInputKind.TokenLists;

    /// <summary>The input strings, in order, decoded once on first use; empty for token input.</summary>
    public IReadOnlyList<string> Texts() => _texts ??= DecodeTexts();

    private List<string> DecodeTexts()
    {
        var texts = new List<string>(InputCount);
        if (IsTokenInput)
        {
            return texts;
        }

        // The sniffer checked the value: a string, or an array of strings.
        var reader = new Utf8JsonReader(Body.Span[InputRange]);
        reader.Read();
        if (reader.TokenType == JsonTokenType.String)
        {
            texts.Add(reader.GetString()!);
            return texts;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.String)
        {
            texts.Add(reader.GetString()!);
        }

        return texts;
    }
}
