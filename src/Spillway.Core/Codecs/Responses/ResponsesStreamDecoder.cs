using System.Text;
using System.Text.Json;
using Spillway.Core.Chat;

namespace Spillway.Core.Codecs.Responses;

/// <summary>
/// Turns the events of a Responses stream from an upstream that speaks the Responses API into canonical stream
/// events: <c>response.created</c> opens the answer; each output item (message, function call, reasoning) is a
/// part, numbered in order of appearance, opened by <c>response.output_item.added</c>, fed by its deltas and closed
/// by <c>response.output_item.done</c>; <c>response.completed</c> / <c>response.incomplete</c> bring the usage and
/// the finish, <c>response.failed</c> and <c>error</c> the failure. Events with no canonical meaning (the
/// <c>.done</c> echoes, content parts, built-in tool progress) are skipped.
/// </summary>
/// <remarks>
/// It also keeps what the client of a pass-through has seen — the response's id and model, each item with its text
/// so far, the <c>sequence_number</c> of each event — so another upstream can take the stream over where it stands
/// (<see cref="ResponsesStreamEncoder.TakeOver"/>). One decoder per stream; not thread-safe.
/// </remarks>
internal sealed class ResponsesStreamDecoder : IUpstreamStreamDecoder
{
    // output_index → the item's position in _items (and its canonical part index).
    private readonly Dictionary<int, int> _byOutputIndex = [];
    private readonly List<TrackedItem> _items = [];

    /// <summary>
    /// Always false: the closing event (<c>response.completed</c>) carries the usage and the finish, so it must be
    /// read like any other; the stream is whole once its finish came and the upstream closed it (as for Gemini).
    /// </summary>
    public bool IsComplete => false;

    /// <summary>The response's id as the upstream named it, once <c>response.created</c> arrived.</summary>
    public string? ResponseId { get; private set; }

    /// <summary>The model the upstream named.</summary>
    public string? Model { get; private set; }

    /// <summary>The <c>sequence_number</c> of the event last decoded, or -1 when it had none.</summary>
    public long Sequence { get; private set; } = -1;

    /// <summary>The canonical part index of the item still open (added, not done), or -1.</summary>
    public int OpenPart { get; private set; } = -1;

    public bool Decode(string? eventName, ReadOnlySpan<byte> data, List<ChatStreamEvent> events)
    {
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(data);
            document = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException)
        {
            return false;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            Sequence = JsonElementReader.Long(root, "sequence_number") ?? -1;

            Decode(JsonElementReader.String(root, "type") ?? eventName, root, events);
            return true;
        }
    }

    public void Complete(List<ChatStreamEvent> events)
    {
    }

    /// <summary>The output items the client has seen, as far as streamed, in order.</summary>
    public IReadOnlyList<ResponsesOutputItem> Items() =>
        _items.ConvertAll(x => new ResponsesOutputItem(x.Kind, x.Id, x.Text.ToString()) { CallId = x.CallId, Name = x.Name });

    private void Decode(string? type, JsonElement root, List<ChatStreamEvent> events)
    {
        switch (type)
        {
            case "response.created":
                if (JsonElementReader.TryGet(root, "response", out var created))
                {
                    ResponseId = JsonElementReader.String(created, "id");
                    Model = JsonElementReader.String(created, "model");
                    events.Add(new MessageStartEvent(ResponseId ?? "", Model ?? ""));
                }

                break;
            case "response.output_item.added":
                Added(root, events);
                break;
            case "response.output_text.delta" or "response.refusal.delta":
                Delta(root, ResponsesItemKind.Message, events);
                break;
            case "response.reasoning_summary_text.delta" or "response.reasoning_text.delta":
                Delta(root, ResponsesItemKind.Reasoning, events);
                break;
            case "response.function_call_arguments.delta":
                Delta(root, ResponsesItemKind.FunctionCall, events);
                break;
            case "response.output_item.done":
                Done(root, events);
                break;
            case "response.completed" or "response.incomplete":
                Finished(root, events);
                break;
            case "response.failed":
                events.Add(new StreamErrorEvent(JsonElementReader.TryGet(root, "response", out var failed)
                    ? ResponsesStreamErrors.FromResponse(failed)
                    : new ChatError(502, ChatErrorKind.Server, "The upstream's response failed.")));
                break;
            case "error":
                events.Add(new StreamErrorEvent(ResponsesStreamErrors.FromErrorEvent(root)));
                break;
        }
    }

    private void Added(JsonElement root, List<ChatStreamEvent> events)
    {
        if (!JsonElementReader.TryGet(root, "item", out var item) || JsonElementReader.Int(root, "output_index") is not { } outputIndex)
        {
            return;
        }

        ResponsesItemKind? kind = JsonElementReader.String(item, "type") switch
        {
            "message" => ResponsesItemKind.Message,
            "function_call" => ResponsesItemKind.FunctionCall,
            "reasoning" => ResponsesItemKind.Reasoning,
            _ => null,
        };
        if (kind is not { } known || _byOutputIndex.ContainsKey(outputIndex))
        {
            // Built-in tool calls and the like have no canonical part: the client of a pass-through still sees them.
            return;
        }

        var part = _items.Count;
        var tracked = new TrackedItem(known, JsonElementReader.String(item, "id") ?? "")
        {
            CallId = JsonElementReader.String(item, "call_id"),
            Name = JsonElementReader.String(item, "name"),
        };
        _items.Add(tracked);
        _byOutputIndex[outputIndex] = part;
        OpenPart = part;
        switch (known)
        {
            case ResponsesItemKind.FunctionCall:
                events.Add(new ToolCallStartEvent(part, tracked.CallId ?? tracked.Id, tracked.Name ?? ""));
                if (JsonElementReader.String(item, "arguments") is { Length: > 0 } arguments)
                {
                    tracked.Text.Append(arguments);
                    events.Add(new ToolCallArgumentsDeltaEvent(part, arguments));
                }

                break;
            case ResponsesItemKind.Reasoning:
                events.Add(new ThinkingDeltaEvent(part, ""));
                break;
            default:
                // An empty delta opens the part, so a client sees the item begin when the upstream began it.
                events.Add(new TextDeltaEvent(part, ""));
                break;
        }
    }

    private void Delta(JsonElement root, ResponsesItemKind kind, List<ChatStreamEvent> events)
    {
        if (JsonElementReader.Int(root, "output_index") is not { } outputIndex
            || !_byOutputIndex.TryGetValue(outputIndex, out var part)
            || _items[part].Kind != kind
            || JsonElementReader.String(root, "delta") is not { } delta)
        {
            return;
        }

        _items[part].Text.Append(delta);
        events.Add(kind switch
        {
            ResponsesItemKind.FunctionCall => new ToolCallArgumentsDeltaEvent(part, delta),
            ResponsesItemKind.Reasoning => new ThinkingDeltaEvent(part, delta),
            _ => new TextDeltaEvent(part, delta),
        });
    }

    private void Done(JsonElement root, List<ChatStreamEvent> events)
    {
        if (JsonElementReader.Int(root, "output_index") is not { } outputIndex || !_byOutputIndex.TryGetValue(outputIndex, out var part))
        {
            return;
        }

        // Some hosts send a call's arguments whole in the closing item rather than as deltas.
        var tracked = _items[part];
        if (tracked.Kind == ResponsesItemKind.FunctionCall && tracked.Text.Length == 0
            && JsonElementReader.TryGet(root, "item", out var item)
            && JsonElementReader.String(item, "arguments") is { Length: > 0 } arguments)
        {
            tracked.Text.Append(arguments);
            events.Add(new ToolCallArgumentsDeltaEvent(part, arguments));
        }

        events.Add(new PartStopEvent(part));
        if (OpenPart == part)
        {
            OpenPart = -1;
        }
    }

    private void Finished(JsonElement root, List<ChatStreamEvent> events)
    {
        if (!JsonElementReader.TryGet(root, "response", out var response))
        {
            events.Add(new FinishEvent(new ChatFinish(FinishReason.Stop)));
            return;
        }

        events.Add(new FinishEvent(ResponsesResponseDecoder.FinishOf(response, _items.Exists(x => x.Kind == ResponsesItemKind.FunctionCall))));
        if (ResponsesUsageReader.Read(response) is { } usage)
        {
            events.Add(new UsageEvent(usage));
        }
    }

    private sealed class TrackedItem(ResponsesItemKind kind, string id)
    {
        public ResponsesItemKind Kind { get; } = kind;

        public string Id { get; } = id;

        public StringBuilder Text { get; } = new();

        public string? CallId { get; init; }

        public string? Name { get; init; }
    }
}
