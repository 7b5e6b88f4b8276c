using System.Buffers;
using System.Text.Json;
using Spillway.Core.Ledger;

namespace Spillway.Core.Codecs.Responses;

/// <summary>
/// The body of <c>GET /v1/responses/{id}/input_items</c>: a page of the stored response's input items as OpenAI's
/// list object (<c>{"object":"list","data","first_id","last_id","has_more"}</c>), newest first unless
/// <c>order=asc</c>. An item stored without an <c>id</c> (a string <c>input</c>, or items the client sent without
/// one) is listed with one made from the response's id and its place, the same at every read.
/// </summary>
public static class ResponsesInputItemList
{
    /// <summary>The most items a page holds (OpenAI's bound).</summary>
    public const int MaxLimit = 100;

    /// <summary>OpenAI's default page size.</summary>
    public const int DefaultLimit = 20;

    /// <summary>Writes the page of <paramref name="stored"/>'s input items after the item <paramref name="after"/> (or from the first).</summary>
    public static byte[] Write(StoredResponse stored, bool ascending, int limit, string? after)
    {
        ArgumentNullException.ThrowIfNull(stored);
        using var document = JsonDocument.Parse(stored.InputItems);
        var unique = stored.Id.StartsWith(ResponseIds.ResponsesPrefix, StringComparison.Ordinal) ? stored.Id[ResponseIds.ResponsesPrefix.Length..] : stored.Id;
        var items = document.RootElement.EnumerateArray().Select((item, i) => (Item: item, Id: IdOf(item, unique, i))).ToList();
        if (!ascending)
        {
            items.Reverse();
        }

        var start = after is null ? 0 : items.FindIndex(x => x.Id == after) + 1;
        var page = items.Skip(start).Take(Math.Clamp(limit, 1, MaxLimit)).ToList();
        var output = new ArrayBufferWriter<byte>(stored.InputItems.Length + 128);
        using (var writer = new Utf8JsonWriter(output))
        {
            writer.WriteStartObject();
            writer.WriteString("object"u8, "list"u8);
            writer.WriteStartArray("data"u8);
            foreach (var (item, id) in page)
            {
                writer.WriteStartObject();
                writer.WriteString("id"u8, id);
                foreach (var property in item.EnumerateObject())
                {
                    if (property.Name != "id")
                    {
                        property.WriteTo(writer);
                    }
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteString("first_id"u8, page.Count == 0 ? null : page[0].Id);
            writer.WriteString("last_id"u8, page.Count == 0 ? null : page[^1].Id);
            writer.WriteBoolean("has_more"u8, start + page.Count < items.Count);
            writer.WriteEndObject();
        }

        return output.WrittenSpan.ToArray();
    }

    private static string IdOf(JsonElement item, string unique, int index)
    {
        if (item.ValueKind == JsonValueKind.Object && item.TryGetProperty("id"u8, out var id) && id.ValueKind == JsonValueKind.String)
        {
            return id.GetString()!;
        }

        var message = item.ValueKind == JsonValueKind.Object
            && (!item.TryGetProperty("type"u8, out var type) || type.ValueEquals("message"u8));
        return $"{(message ? "msg" : "item")}_{unique}_in{index}";
    }
}
