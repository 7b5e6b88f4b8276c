using System.Text.Json;
using Spillway.Core.Chat;

namespace Spillway.Core.Codecs.Anthropic;

/// <summary>Reads an Anthropic <c>message</c> response body into a <see cref="ChatResponse"/>.</summary>
public static class AnthropicResponseDecoder
{
    private static readonly string[] Known =
        ["id", "type", "role", "model", "content", "stop_reason", "stop_sequence", "usage"];

    /// <summary>Decodes <paramref name="body"/>; a body that is not a message is a 502-kind error.</summary>
    public static ChatResult<ChatResponse> Decode(ReadOnlyMemory<byte> body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return Decode(document.RootElement);
        }
        catch (JsonException ex)
        {
            return BadResponse("The upstream's response is not valid JSON: " + ex.Message);
        }
    }

    private static ChatResult<ChatResponse> Decode(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || JsonElementReader.String(root, "type") != "message" ||
            !JsonElementReader.TryGet(root, "content", out var content) || content.ValueKind != JsonValueKind.Array)
        {
            return BadResponse("The upstream's response is not an Anthropic message.");
        }

        var parts = new List<ChatContentPart>();
        var error = AnthropicContentDecoder.ReadContent(content, "content", parts);
        if (error is not null)
        {
            return BadResponse("The upstream's response has a malformed content block: " + error.Message);
        }

        var extras = new List<ChatExtension>();
        AnthropicExtensionFields.Collect(root, Known, extras);
        var usage = JsonElementReader.TryGet(root, "usage", out var usageValue)
            ? AnthropicUsage.Read(usageValue, extras)
            : (TokenUsage?)null;
        var finish = AnthropicStopReasons.Decode(
            JsonElementReader.String(root, "stop_reason") ?? "end_turn", JsonElementReader.String(root, "stop_sequence"));
        return new ChatResponse(
            JsonElementReader.String(root, "id") ?? "", JsonElementReader.String(root, "model") ?? "", parts, finish)
        {
            Usage = usage,
            Extensions = ChatExtensions.Of(extras),
        };
    }

    private static ChatError BadResponse(string message) => new(502, ChatErrorKind.Server, message);
}
