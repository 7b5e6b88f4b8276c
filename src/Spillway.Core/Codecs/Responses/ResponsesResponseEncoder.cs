using System.Buffers;
using System.Text;
using Spillway.Core.Chat;

namespace Spillway.Core.Codecs.Responses;

/// <summary>
/// Writes a <see cref="ChatResponse"/> as a Responses <c>response</c> object: thinking as a <c>reasoning</c> item,
/// each run of text as one assistant <c>message</c>, each tool call as a <c>function_call</c>, in answer order.
/// </summary>
public static class ResponsesResponseEncoder
{
    /// <summary>Encodes <paramref name="response"/>; redacted thinking is dropped and reported, opaque content refused.</summary>
    /// <param name="response">The canonical answer.</param>
    /// <param name="createdAt">The <c>created_at</c> Unix time, from the caller's clock.</param>
    /// <param name="request">The client's request, whose settings the object echoes; null writes defaults.</param>
    public static ChatResult<EncodedPayload> Encode(ChatResponse response, long createdAt, ChatRequest? request = null)
    {
        ArgumentNullException.ThrowIfNull(response);
        var id = ResponseIds.ForResponses(response.Id);
        var dropped = new DroppedHints();
        var items = new List<ResponsesOutputItem>();
        var text = new StringBuilder();
        for (var i = 0; i < response.Content.Count; i++)
        {
            var part = response.Content[i];
            if (part is not TextPart)
            {
                FlushText(items, text, id);
            }

            switch (part)
            {
                case TextPart textPart:
                    text.Append(textPart.Text);
                    break;
                case ThinkingPart thinking:
                    items.Add(new ResponsesOutputItem(
                        ResponsesItemKind.Reasoning, ResponsesOutputItem.IdFor(ResponsesItemKind.Reasoning, id, items.Count), thinking.Text));
                    break;
                case RedactedThinkingPart:
                    dropped.Add("redacted_thinking");
                    break;
                case ToolCallPart call:
                    items.Add(new ResponsesOutputItem(
                        ResponsesItemKind.FunctionCall, ResponsesOutputItem.IdFor(ResponsesItemKind.FunctionCall, id, items.Count), call.ArgumentsJson)
                    {
                        CallId = call.Id,
                        Name = call.Name,
                    });
                    break;
                default:
                    return new ChatError(502, ChatErrorKind.UpstreamFailed, $"content[{i}]: the answer holds {Describe(part)}, which a Responses client cannot receive.");
            }
        }

        FlushText(items, text, id);
        var (status, reason) = ResponsesStatus.Of(response.Finish);
        var output = new ArrayBufferWriter<byte>(512);
        using (var writer = ChatJsonWriter.Create(output))
        {
            ResponsesObjectWriter.Write(
                writer, new ResponsesEnvelope(id, createdAt, response.Model, request), status, items, response.Usage, reason);
        }

        return new EncodedPayload(output.WrittenSpan.ToArray(), dropped.Names);
    }

    private static void FlushText(List<ResponsesOutputItem> items, StringBuilder text, string id)
    {
        if (text.Length == 0)
        {
            return;
        }

        items.Add(new ResponsesOutputItem(
            ResponsesItemKind.Message, ResponsesOutputItem.IdFor(ResponsesItemKind.Message, id, items.Count), text.ToString()));
        text.Clear();
    }

    private static string Describe(ChatContentPart part) =>
        part is OpaquePart opaque ? $"'{opaque.Type}' content ({opaque.Format})" : part.GetType().Name;
}
