using System.Globalization;
using System.Text.Json;
using Spillway.Core.Chat;

namespace Spillway.Core.Codecs.Gemini;

/// <summary>
/// Reads Gemini <c>contents</c> into canonical messages: <c>model</c> turns become assistant messages; a
/// <c>user</c> turn becomes a tool message for its function responses and a user message for the rest, in order.
/// </summary>
/// <remarks>
/// A function response is tied to its call by id when both have one, else by name to the latest unanswered
/// call of that function, as Gemini itself does. Its <c>response</c> becomes the result's text: the string of
/// <c>{"result": "…"}</c>, the content of <c>{"error": …}</c> (marking the result failed), or else the
/// object's JSON. <see cref="GeminiContentEncoder"/> writes each of these back as it came.
/// </remarks>
internal sealed class GeminiContentDecoder
{
    private readonly List<(string Id, string Name, bool Answered)> _calls = [];

    public ChatError? Read(ref Utf8JsonReader reader, ReadOnlySpan<byte> source, List<ChatMessage> messages)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return null;
        }

        var turn = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }

            string? role = null;
            List<GeminiPart> parts = [];
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isRole = reader.ValueTextEquals("role"u8);
                var isParts = reader.ValueTextEquals("parts"u8);
                reader.Read();
                if (isRole)
                {
                    role = GeminiJson.ReadString(ref reader);
                }
                else if (isParts)
                {
                    parts = GeminiPartDecoder.ReadParts(ref reader, source);
                }
                else
                {
                    reader.Skip();
                }
            }

            var error = role == "model" ? AddModelTurn(parts, turn, messages) : AddUserTurn(parts, turn, messages);
            if (error is not null)
            {
                return error;
            }

            turn++;
        }

        return null;
    }

    private ChatError? AddModelTurn(List<GeminiPart> parts, int turn, List<ChatMessage> messages)
    {
        var content = new List<ChatContentPart>(parts.Count);
        var calls = 0;
        foreach (var part in parts)
        {
            var converted = part.Kind == GeminiPartKind.FunctionResponse
                ? new OpaquePart(WireFormat.Gemini, "functionResponse", part.Raw)
                : GeminiPartConverter.ToCanonical(part, turn.ToString(CultureInfo.InvariantCulture), ref calls);
            if (converted is ToolCallPart call)
            {
                _calls.Add((call.Id, call.Name, false));
            }

            content.Add(converted);
        }

        messages.Add(new ChatMessage(ChatRole.Assistant, content));
        return null;
    }

    private ChatError? AddUserTurn(List<GeminiPart> parts, int turn, List<ChatMessage> messages)
    {
        var run = new List<ChatContentPart>();
        var runIsTool = false;
        var calls = 0;
        for (var j = 0; j < parts.Count; j++)
        {
            var part = parts[j];
            var isTool = part.Kind == GeminiPartKind.FunctionResponse;
            if (run.Count > 0 && isTool != runIsTool)
            {
                messages.Add(new ChatMessage(runIsTool ? ChatRole.Tool : ChatRole.User, run));
                run = [];
            }

            runIsTool = isTool;
            if (!isTool)
            {
                run.Add(GeminiPartConverter.ToCanonical(part, turn.ToString(CultureInfo.InvariantCulture), ref calls));
                continue;
            }

            var id = Answer(part);
            if (id is null)
            {
                var param = $"contents[{turn}].parts[{j}]";
                return ChatError.InvalidRequest(
                    $"The function response for '{part.Name}' at {param} follows no call of that function.", param);
            }

            run.Add(ToResult(id, part.Payload));
        }

        if (run.Count > 0)
        {
            messages.Add(new ChatMessage(runIsTool ? ChatRole.Tool : ChatRole.User, run));
        }

        return null;
    }

    /// <summary>The id of the call <paramref name="response"/> answers, marked answered; null when none matches.</summary>
    private string? Answer(GeminiPart response)
    {
        var index = -1;
        if (!string.IsNullOrEmpty(response.CallId))
        {
            index = _calls.FindLastIndex(x => x.Id == response.CallId);
        }

        if (index < 0)
        {
            index = _calls.FindIndex(x => !x.Answered && x.Name == response.Name);
        }

        if (index < 0)
        {
            return null;
        }

        _calls[index] = _calls[index] with { Answered = true };
        return _calls[index].Id;
    }

    private static ToolResultPart ToResult(string id, RawJson response)
    {
        if (response.IsEmpty)
        {
            return new ToolResultPart(id, [new TextPart(string.Empty)]);
        }

        var (key, value) = SingleField(response);
        return key switch
        {
            "result" when value.ValueKind == JsonValueKind.String =>
                new ToolResultPart(id, [new TextPart(value.GetString()!)]),
            "error" => new ToolResultPart(
                id, [new TextPart(value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText())],
                IsError: true),
            _ => new ToolResultPart(id, [new TextPart(response.ToString())]),
        };
    }

    /// <summary>The one field of an object that has exactly one, or nulls.</summary>
    private static (string? Key, JsonElement Value) SingleField(RawJson json)
    {
        try
        {
            using var document = JsonDocument.Parse(json.Utf8);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (null, default);
            }

            using var properties = document.RootElement.EnumerateObject();
            if (!properties.MoveNext())
            {
                return (null, default);
            }

            var first = properties.Current;
            return properties.MoveNext() ? (null, default) : (first.Name, first.Value.Clone());
        }
        catch (JsonException)
        {
            return (null, default);
        }
    }
}
