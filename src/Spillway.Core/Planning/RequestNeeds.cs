using Spillway.Core.Chat;
using Spillway.Core.Codecs;

namespace Spillway.Core.Planning;

/// <summary>
/// What a request asks of a route, read at the door: the capabilities it needs (tools, images, JSON mode, a long
/// context) and its size, for the capability filter and the price estimate.
/// </summary>
/// <param name="Tools">The request offers tools.</param>
/// <param name="Images">A message carries an image.</param>
/// <param name="Json">The request asks for JSON mode or structured output.</param>
/// <param name="InputTokens">
/// An estimate of the input tokens: the body's bytes / 4. It counts JSON syntax too, so it leans high for text;
/// images make it meaningless (base64 bytes are not tokens), so a request with images is not held to a context window.
/// </param>
/// <param name="MaxOutputTokens">The output cap the client asked for, or null.</param>
public sealed record RequestNeeds(bool Tools, bool Images, bool Json, long InputTokens, long? MaxOutputTokens)
{
    /// <summary>The input size assumed when the request is not at hand (1,000 tokens).</summary>
    public const long TypicalInputTokens = 1_000;

    /// <summary>The bytes of JSON body taken for one token.</summary>
    public const int BytesPerToken = 4;

    /// <summary>A plain request of typical size: needs nothing in particular.</summary>
    public static RequestNeeds None { get; } = new(false, false, false, TypicalInputTokens, null);

    /// <summary>What an OpenAI chat request needs, from its sniff.</summary>
    public static RequestNeeds Of(ChatRequestSniff sniff, int bodyBytes)
    {
        ArgumentNullException.ThrowIfNull(sniff);
        return new(sniff.UsesTools, sniff.HasImages, sniff.IsJsonMode, bodyBytes / BytesPerToken, sniff.OutputTokenLimit);
    }

    /// <summary>What a decoded request (Anthropic clients) needs.</summary>
    public static RequestNeeds Of(ChatRequest request, int bodyBytes)
    {
        ArgumentNullException.ThrowIfNull(request);
        var json = request.ResponseFormat?.Type is ResponseFormatType.JsonObject or ResponseFormatType.JsonSchema;
        var images = request.Messages.Any(m => HasImage(m.Content));
        return new(request.Tools.Count > 0, images, json, bodyBytes / BytesPerToken, request.MaxOutputTokens);
    }

    private static bool HasImage(IReadOnlyList<ChatContentPart> parts) =>
        parts.Any(part => part is ImagePart || (part is ToolResultPart result && HasImage(result.Content)));
}
