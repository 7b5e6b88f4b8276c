using Microsoft.ML.Tokenizers;
using Spillway.Core.Chat;

namespace Spillway.Core.Tokens;

/// <summary>
/// Counts a request's input tokens here, with OpenAI's <c>o200k_base</c> encoding (GPT-4o and later), for routes
/// whose provider has no counting endpoint. It counts the text of the system prompt, of every message (text,
/// a tool call's name and input JSON, a tool result's text) and of every tool definition (name, description,
/// input schema JSON), plus OpenAI's per-message framing (3 tokens a message, 3 to prime the answer).
/// Images, documents and earlier turns' reasoning are not counted.
/// </summary>
/// <remarks>
/// Exact only for the text of OpenAI's own models; for any other model it is an estimate, since every vendor has its
/// own tokenizer (Claude and Gemini usually need somewhat more tokens for the same text).
/// </remarks>
public static class LocalTokenCounter
{
    /// <summary>The framing tokens OpenAI adds around each message (<c>&lt;|start|&gt;role\n … &lt;|end|&gt;</c>).</summary>
    public const int TokensPerMessage = 3;

    /// <summary>The tokens that prime the assistant's answer.</summary>
    public const int ReplyPriming = 3;

    /// <summary>
    /// The longest run without whitespace counted in one piece. Byte-pair encoding takes time quadratic in the length
    /// of one pre-tokenized word: a 1 MB body of one "word" (a pasted base64 blob, or an attack) would hold a core for
    /// minutes. Real words are far shorter; a longer run is counted in pieces of this size, a close estimate.
    /// </summary>
    internal const int MaxRunChars = 256;

    private static readonly Lazy<Tokenizer> Encoding = new(() => TiktokenTokenizer.CreateForEncoding("o200k_base"));

    /// <summary>The tokens of <paramref name="text"/> alone, without any framing.</summary>
    public static int CountText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokenizer = Encoding.Value;
        var total = 0;
        var span = text.AsSpan();
        var pieceStart = 0;
        var runStart = 0;
        for (var i = 0; i < span.Length; i++)
        {
            if (char.IsWhiteSpace(span[i]))
            {
                runStart = i + 1;
            }
            else if (i - runStart >= MaxRunChars && !char.IsLowSurrogate(span[i]))
            {
                total += tokenizer.CountTokens(span[pieceStart..i]);
                pieceStart = runStart = i;
            }
        }

        return pieceStart == span.Length ? total : total + tokenizer.CountTokens(span[pieceStart..]);
    }

    /// <summary>The input tokens of <paramref name="request"/>: framing, system prompt, messages and tool definitions.</summary>
    public static long Count(ChatRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        long total = ReplyPriming;
        if (request.System.Count > 0)
        {
            total += TokensPerMessage;
            foreach (var part in request.System)
            {
                total += CountText(part.Text);
            }
        }

        foreach (var message in request.Messages)
        {
            total += TokensPerMessage + CountParts(message.Content);
        }

        foreach (var tool in request.Tools)
        {
            total += CountText(tool.Name) + CountText(tool.Description ?? string.Empty);
            if (!tool.InputSchema.IsEmpty)
            {
                total += CountText(tool.InputSchema.ToString());
            }
        }

        return total;
    }

    private static long CountParts(IReadOnlyList<ChatContentPart> parts)
    {
        long total = 0;
        foreach (var part in parts)
        {
            total += part switch
            {
                TextPart text => CountText(text.Text),
                ToolCallPart call => CountText(call.Name) + CountText(call.ArgumentsJson),
                ToolResultPart result => CountParts(result.Content),
                _ => 0,
            };
        }

        return total;
    }
}
