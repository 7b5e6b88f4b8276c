using System.Text.Json;
using Spillway.Core.Chat;
using Spillway.Core.Failures.Vocabularies;
using Spillway.Core.Streaming;

namespace Spillway.Core.Codecs.Anthropic;

/// <summary>
/// Turns the named events of an Anthropic Messages stream into canonical stream events. One decoder per stream;
/// feed it every SSE event in order.
/// </summary>
/// <remarks>
/// Text deltas, the hot path, are read with a forward-only reader; the rare structural events are parsed whole.
/// A block start always produces an event (an empty text or thinking delta opens the part), so a client sees
/// blocks begin when the upstream began them. Block types without a canonical part (server tool blocks,
/// citations deltas) are skipped, and unknown event types are ignored as Anthropic asks.
/// </remarks>
public sealed class AnthropicStreamDecoder
{
    private static readonly string[] MessageKeys =
        ["id", "type", "role", "model", "content", "stop_reason", "stop_sequence", "usage"];

    private static readonly string[] TextBlockKeys = ["type", "text"];
    private static readonly string[] ToolBlockKeys = ["type", "id", "name", "input"];
    private static readonly string[] DeltaKeys = ["stop_reason", "stop_sequence"];

    // Input figures from message_start: message_delta usually repeats only the output count.
    private long _input;
    private long _cacheWrite;
    private long _cacheRead;

    /// <summary>True once <c>message_stop</c> arrived: the stream ended normally.</summary>
    public bool IsComplete { get; private set; }

    /// <summary>Decodes one SSE event into zero or more events added to <paramref name="events"/>.</summary>
    /// <param name="eventName">The SSE event name; when null the type is read from the data.</param>
    /// <param name="data">The event's data.</param>
    /// <param name="events">Where the canonical events go.</param>
    public void Decode(string? eventName, ReadOnlySpan<byte> data, ICollection<ChatStreamEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        try
        {
            switch (eventName)
            {
                case SseEventNames.ContentBlockDelta:
                    DecodeDelta(data, events);
                    return;
                case SseEventNames.Ping:
                    events.Add(PingEvent.Instance);
                    return;
                case SseEventNames.MessageStop:
                    IsComplete = true;
                    return;
            }

            var reader = new Utf8JsonReader(data);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            switch (JsonElementReader.String(root, "type") ?? eventName)
            {
                case SseEventNames.MessageStart:
                    DecodeMessageStart(root, events);
                    break;
                case SseEventNames.ContentBlockStart:
                    DecodeBlockStart(root, events);
                    break;
                case SseEventNames.ContentBlockDelta:
                    DecodeDelta(data, events);
                    break;
                case SseEventNames.ContentBlockStop:
                    events.Add(new PartStopEvent(JsonElementReader.Int(root, "index") ?? 0));
                    break;
                case SseEventNames.MessageDelta:
                    DecodeMessageDelta(root, events);
                    break;
                case SseEventNames.MessageStop:
                    IsComplete = true;
                    break;
                case SseEventNames.Ping:
                    events.Add(PingEvent.Instance);
                    break;
                case SseEventNames.Error:
                    events.Add(new StreamErrorEvent(DecodeError(root)));
                    break;
            }
        }
        catch (JsonException)
        {
            events.Add(new StreamErrorEvent(new ChatError(
                502, ChatErrorKind.Server, "The upstream sent a malformed stream event.")));
        }
    }

    private void DecodeMessageStart(JsonElement root, ICollection<ChatStreamEvent> events)
    {
        var message = JsonElementReader.TryGet(root, "message", out var value) ? value : root;
        var extras = new List<ChatExtension>();
        AnthropicExtensionFields.Collect(message, MessageKeys, extras);
        TokenUsage? usage = null;
        if (JsonElementReader.TryGet(message, "usage", out var usageValue))
        {
            var read = AnthropicUsage.Read(usageValue, extras);
            _cacheRead = read.CachedInputTokens;
            _cacheWrite = read.CacheWriteInputTokens;
            _input = read.UncachedInputTokens;
            usage = read;
        }

        events.Add(new MessageStartEvent(
            JsonElementReader.String(message, "id") ?? "", JsonElementReader.String(message, "model") ?? "")
        {
            Usage = usage,
            Extensions = ChatExtensions.Of(extras),
        });
    }

    private static void DecodeBlockStart(JsonElement root, ICollection<ChatStreamEvent> events)
    {
        var index = JsonElementReader.Int(root, "index") ?? 0;
        if (!JsonElementReader.TryGet(root, "content_block", out var block))
        {
            return;
        }

        switch (JsonElementReader.String(block, "type"))
        {
            case "text":
                events.Add(new TextDeltaEvent(index, JsonElementReader.String(block, "text") ?? "")
                {
                    Extensions = AnthropicExtensionFields.Of(block, TextBlockKeys),
                });
                break;
            case "tool_use":
                events.Add(new ToolCallStartEvent(
                    index, JsonElementReader.String(block, "id") ?? "", JsonElementReader.String(block, "name") ?? "")
                {
                    Extensions = AnthropicExtensionFields.Of(block, ToolBlockKeys),
                });
                if (JsonElementReader.TryGet(block, "input", out var input) &&
                    input.ValueKind == JsonValueKind.Object && input.EnumerateObject().Any())
                {
                    events.Add(new ToolCallArgumentsDeltaEvent(index, JsonElementReader.RawText(input)));
                }

                break;
            case "thinking":
                events.Add(new ThinkingDeltaEvent(index, JsonElementReader.String(block, "thinking") ?? ""));
                if (JsonElementReader.String(block, "signature") is { Length: > 0 } signature)
                {
                    events.Add(new ThinkingSignatureEvent(index, signature));
                }

                break;
            case "redacted_thinking":
                events.Add(new RedactedThinkingEvent(index, JsonElementReader.String(block, "data") ?? ""));
                break;
        }
    }

    private static void DecodeDelta(ReadOnlySpan<byte> data, ICollection<ChatStreamEvent> events)
    {
        var reader = new Utf8JsonReader(data);
        var index = 0;
        string? deltaType = null, value = null;
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("index"u8))
            {
                reader.Read();
                index = reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var i) ? i : 0;
            }
            else if (reader.ValueTextEquals("delta"u8))
            {
                reader.Read();
                (deltaType, value) = ReadDeltaBody(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (value is null)
        {
            return;
        }

        ChatStreamEvent? decoded = deltaType switch
        {
            "text_delta" => new TextDeltaEvent(index, value),
            "input_json_delta" => new ToolCallArgumentsDeltaEvent(index, value),
            "thinking_delta" => new ThinkingDeltaEvent(index, value),
            "signature_delta" => new ThinkingSignatureEvent(index, value),
            _ => null,
        };
        if (decoded is not null)
        {
            events.Add(decoded);
        }
    }

    private static (string? Type, string? Value) ReadDeltaBody(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return (null, null);
        }

        string? type = null, value = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isType = reader.ValueTextEquals("type"u8);
            var isValue = reader.ValueTextEquals("text"u8) || reader.ValueTextEquals("partial_json"u8) ||
                reader.ValueTextEquals("thinking"u8) || reader.ValueTextEquals("signature"u8);
            reader.Read();
            if ((isType || isValue) && reader.TokenType == JsonTokenType.String)
            {
                if (isType)
                {
                    type = reader.GetString();
                }
                else
                {
                    value = reader.GetString();
                }
            }
            else
            {
                reader.Skip();
            }
        }

        return (type, value);
    }

    private void DecodeMessageDelta(JsonElement root, ICollection<ChatStreamEvent> events)
    {
        if (JsonElementReader.TryGet(root, "delta", out var delta) &&
            JsonElementReader.String(delta, "stop_reason") is { } reason)
        {
            events.Add(new FinishEvent(AnthropicStopReasons.Decode(reason, JsonElementReader.String(delta, "stop_sequence")))
            {
                Extensions = AnthropicExtensionFields.Of(delta, DeltaKeys),
            });
        }

        if (!JsonElementReader.TryGet(root, "usage", out var usage))
        {
            return;
        }

        // message_delta counts are cumulative; input figures it leaves out are those of message_start.
        _input = JsonElementReader.Long(usage, "input_tokens") ?? _input;
        _cacheWrite = JsonElementReader.Long(usage, "cache_creation_input_tokens") ?? _cacheWrite;
        _cacheRead = JsonElementReader.Long(usage, "cache_read_input_tokens") ?? _cacheRead;
        var extras = new List<ChatExtension>();
        var output = AnthropicUsage.Read(usage, extras);
        var tokens = new TokenUsage(_input + _cacheRead + _cacheWrite, output.OutputTokens, _cacheRead, output.ReasoningTokens, _cacheWrite);
        events.Add(new UsageEvent(tokens) { Extensions = ChatExtensions.Of(extras) });
    }

    private static ChatError DecodeError(JsonElement root)
    {
        var error = JsonElementReader.TryGet(root, "error", out var value) ? value : root;
        var type = JsonElementReader.String(error, "type") ?? AnthropicErrorTypes.Api;
        var kind = AnthropicErrorCodec.KindOf(type, 500);
        return new ChatError(ChatErrorKinds.DefaultStatus(kind), kind, JsonElementReader.String(error, "message") ?? type)
        {
            UpstreamCode = type,
        };
    }
}
