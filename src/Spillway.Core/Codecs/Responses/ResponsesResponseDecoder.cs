using System.Text;
using System.Text.Json;
using Spillway.Core.Chat;

namespace Spillway.Core.Codecs.Responses;

/// <summary>
/// Reads a Responses object from an upstream that speaks the Responses API into a <see cref="ChatResponse"/>:
/// <c>message</c> items as text (a refusal too), <c>function_call</c> items as tool calls, <c>reasoning</c> summaries
/// as thinking; the status and <c>incomplete_details</c> as the finish. Built-in tool items (web search and the
/// like) have no canonical part and are left out.
/// </summary>
internal static class ResponsesResponseDecoder
{
    public static ChatResult<ChatResponse> Decode(ReadOnlyMemory<byte> body) =>
        JsonElementReader.DecodeObject<ChatResponse>(body, Decode);

    /// <summary>Decodes a response object already parsed (the one inside a stream's closing event, too).</summary>
    public static ChatResult<ChatResponse> Decode(JsonElement root)
    {
        var status = JsonElementReader.String(root, "status");
        if (status == ResponsesStatus.Failed)
        {
            return ResponsesStreamErrors.FromResponse(root);
        }

        var content = new List<ChatContentPart>();
        if (JsonElementReader.TryGet(root, "output", out var output) && output.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in output.EnumerateArray())
            {
                ReadItem(item, content);
            }
        }

        return new ChatResponse(
            JsonElementReader.String(root, "id") ?? "",
            JsonElementReader.String(root, "model") ?? "",
            content,
            FinishOf(root, content.Exists(x => x is ToolCallPart)))
        {
            Usage = ResponsesUsageReader.Read(root),
        };
    }

    /// <summary>
    /// Why the answer ended: <c>completed</c> is a stop (tool calls when it called any), <c>incomplete</c> says why
    /// in <c>incomplete_details.reason</c>.
    /// </summary>
    public static ChatFinish FinishOf(JsonElement response, bool calledTools)
    {
        var status = JsonElementReader.String(response, "status");
        if (status != ResponsesStatus.Incomplete)
        {
            return new ChatFinish(calledTools ? FinishReason.ToolCalls : FinishReason.Stop, status, WireFormat.OpenAIResponses);
        }

        var reason = JsonElementReader.TryGet(response, "incomplete_details", out var details)
            ? JsonElementReader.String(details, "reason")
            : null;
        var canonical = reason switch
        {
            "max_output_tokens" => FinishReason.Length,
            "content_filter" => FinishReason.ContentFilter,
            _ => FinishReason.Other,
        };
        return new ChatFinish(canonical, reason ?? status, WireFormat.OpenAIResponses);
    }

    private static void ReadItem(JsonElement item, List<ChatContentPart> content)
    {
        switch (JsonElementReader.String(item, "type"))
        {
            case "message":
                if (JsonElementReader.TryGet(item, "content", out var parts) && parts.ValueKind == JsonValueKind.Array)
                {
                    foreach (var part in parts.EnumerateArray())
                    {
                        if ((JsonElementReader.String(part, "text") ?? JsonElementReader.String(part, "refusal")) is { } text)
                        {
                            content.Add(new TextPart(text));
                        }
                    }
                }

                break;
            case "function_call":
                content.Add(new ToolCallPart(
                    JsonElementReader.String(item, "call_id") ?? JsonElementReader.String(item, "id") ?? "",
                    JsonElementReader.String(item, "name") ?? "",
                    JsonElementReader.String(item, "arguments") ?? ""));
                break;
            case "reasoning":
                if (SummaryOf(item) is { Length: > 0 } summary)
                {
                    content.Add(new ThinkingPart(summary));
                }

                break;
        }
    }

    private static string SummaryOf(JsonElement item)
    {
        if (!JsonElementReader.TryGet(item, "summary", out var summary) || summary.ValueKind != JsonValueKind.Array)
        {
            return "";
        }

        var text = new StringBuilder();
        foreach (var part in summary.EnumerateArray())
        {
            text.Append(JsonElementReader.String(part, "text"));
        }

        return text.ToString();
    }
}
