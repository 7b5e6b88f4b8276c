using System.Buffers;
using System.Text.Json;
using Spillway.Core.Chat;
using Spillway.Core.Ledger;

namespace Spillway.Core.Codecs.Responses;

/// <summary>
/// The conversation of stored responses as Responses input items (JSON arrays), so a follow-up naming
/// <c>previous_response_id</c> is decoded as if the client had sent the whole conversation itself: the earlier
/// response's input items, then its output items (a <c>message</c>, <c>function_call</c> or <c>reasoning</c> output
/// item is also a valid input item), then the follow-up's own input. <c>instructions</c> are not carried over, as
/// OpenAI documents: a follow-up states its own.
/// </summary>
public static class ResponsesConversation
{
    /// <summary>What a follow-up of <paramref name="previous"/> continues: its input items, then its output items.</summary>
    public static byte[] History(StoredResponse previous)
    {
        ArgumentNullException.ThrowIfNull(previous);
        using var input = JsonDocument.Parse(previous.InputItems);
        using var response = JsonDocument.Parse(previous.Response);
        var output = new ArrayBufferWriter<byte>(previous.InputItems.Length + previous.Response.Length);
        using (var writer = new Utf8JsonWriter(output))
        {
            writer.WriteStartArray();
            foreach (var item in input.RootElement.EnumerateArray())
            {
                item.WriteTo(writer);
            }

            if (response.RootElement.TryGetProperty("output"u8, out var items) && items.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in items.EnumerateArray())
                {
                    item.WriteTo(writer);
                }
            }

            writer.WriteEndArray();
        }

        return output.WrittenSpan.ToArray();
    }

    /// <summary>
    /// The input items a response of the request <paramref name="body"/> is stored with: <paramref name="history"/>
    /// (an array; empty for a first turn), then the request's <c>input</c>, a string becoming one user message.
    /// </summary>
    public static byte[] InputItems(ReadOnlySpan<byte> history, ReadOnlyMemory<byte> body)
    {
        using var request = JsonDocument.Parse(body);
        var output = new ArrayBufferWriter<byte>(history.Length + body.Length);
        using (var writer = new Utf8JsonWriter(output))
        {
            writer.WriteStartArray();
            if (!history.IsEmpty)
            {
                var reader = new Utf8JsonReader(history);
                using var earlier = JsonDocument.ParseValue(ref reader);
                foreach (var item in earlier.RootElement.EnumerateArray())
                {
                    item.WriteTo(writer);
                }
            }

            if (request.RootElement.TryGetProperty("input"u8, out var input))
            {
                if (input.ValueKind == JsonValueKind.String)
                {
                    writer.WriteStartObject();
                    writer.WriteString("type"u8, "message"u8);
                    writer.WriteString("role"u8, "user"u8);
                    writer.WriteStartArray("content"u8);
                    writer.WriteStartObject();
                    writer.WriteString("type"u8, "input_text"u8);
                    writer.WritePropertyName("text"u8);
                    input.WriteTo(writer);
                    writer.WriteEndObject();
                    writer.WriteEndArray();
                    writer.WriteEndObject();
                }
                else if (input.ValueKind == JsonValueKind.Array)
                {
                    foreach (var item in input.EnumerateArray())
                    {
                        item.WriteTo(writer);
                    }
                }
            }

            writer.WriteEndArray();
        }

        return output.WrittenSpan.ToArray();
    }

    /// <summary>
    /// A follow-up's body as an upstream that speaks Responses itself is sent it: the client's fields as they came,
    /// but <c>input</c> holding the whole conversation (<see cref="InputItems"/>) and no <c>previous_response_id</c>,
    /// which names a response only this gateway keeps.
    /// </summary>
    public static byte[] SplicedBody(ReadOnlySpan<byte> history, ReadOnlyMemory<byte> body)
    {
        var items = InputItems(history, body);
        using var request = JsonDocument.Parse(body);
        var output = new ArrayBufferWriter<byte>(body.Length + items.Length);
        using (var writer = new Utf8JsonWriter(output))
        {
            writer.WriteStartObject();
            foreach (var property in request.RootElement.EnumerateObject())
            {
                if (property.NameEquals("previous_response_id"u8))
                {
                    continue;
                }

                if (property.NameEquals("input"u8))
                {
                    writer.WritePropertyName("input"u8);
                    writer.WriteRawValue(items, skipInputValidation: true);
                    continue;
                }

                property.WriteTo(writer);
            }

            writer.WriteEndObject();
        }

        return output.WrittenSpan.ToArray();
    }

    /// <summary>The <c>id</c> of a response object, or null when it has none.</summary>
    public static string? IdOf(ReadOnlySpan<byte> response)
    {
        var reader = new Utf8JsonReader(response);
        using var document = JsonDocument.ParseValue(ref reader);
        return document.RootElement.ValueKind == JsonValueKind.Object
            && document.RootElement.TryGetProperty("id"u8, out var id) && id.ValueKind == JsonValueKind.String
            ? id.GetString()
            : null;
    }

    /// <summary>
    /// The refusal of a <c>previous_response_id</c> that names nothing this client may continue, as OpenAI words it
    /// (400 <c>previous_response_not_found</c>). Whether it was ever made cannot be told apart from whether it was
    /// made with <c>store: false</c>, so the message names both.
    /// </summary>
    public static ChatError PreviousNotFound(string id) =>
        new(400, ChatErrorKind.InvalidRequest,
            $"Previous response with id '{id}' not found. It may have been made with store: false (nothing is kept), have expired, or been deleted; send the whole conversation in input instead.")
        {
            Code = "previous_response_not_found",
            Param = "previous_response_id",
        };
}
