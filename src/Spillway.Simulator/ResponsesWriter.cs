using System.Text;
using System.Text.Json;

namespace Spillway.Simulator;

/// <summary>
/// Writes a simulated answer in OpenAI's Responses format (platform.openai.com/docs/api-reference/responses, and the
/// Response schemas of fixtures/openai-openapi.yaml): the <c>response</c> object, and the named-event stream
/// numbered by <c>sequence_number</c> from 0 — <c>response.created</c>, <c>response.in_progress</c>,
/// <c>response.output_item.added</c>, <c>response.content_part.added</c>, <c>response.output_text.delta</c>…,
/// <c>response.output_text.done</c>, <c>response.content_part.done</c>, <c>response.output_item.done</c>,
/// <c>response.completed</c> (function calls: <c>response.function_call_arguments.delta</c>… and <c>.done</c>).
/// </summary>
internal static class ResponsesWriter
{
    public const string Completed = "completed";
    private const string InProgress = "in_progress";

    // Argument fragments in OpenAI's streams are a few characters each.
    private const int ArgumentPieceLength = 8;

    public static string ResponseId(ChatReply reply) => "resp_sim" + reply.Id["chatcmpl-sim".Length..];

    private static string ItemId(ChatReply reply) =>
        (reply.ToolCall is null ? "msg_sim" : "fc_sim") + reply.Id["chatcmpl-sim".Length..];

    /// <summary>The whole response object with <paramref name="status"/>; <c>output</c> is empty unless completed.</summary>
    public static byte[] Response(ChatReply reply, string status) => JsonBody.Write(writer => WriteResponse(writer, reply, status));

    public static SsePlan Plan(ChatReply reply)
    {
        var sequence = 0;
        byte[] Event(string type, Action<Utf8JsonWriter> members) => SseFrame.Named(type, JsonBody.Write(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("type", type);
            members(writer);
            writer.WriteNumber("sequence_number", sequence++);
            writer.WriteEndObject();
        }));

        var itemId = ItemId(reply);
        var frames = new List<SseFrame>
        {
            new(StreamEventKind.Role, Event("response.created", w => WriteNested(w, reply, InProgress))),
            new(StreamEventKind.Role, Event("response.in_progress", w => WriteNested(w, reply, InProgress))),
            new(StreamEventKind.Role, Event("response.output_item.added", w =>
            {
                w.WriteNumber("output_index", 0);
                w.WritePropertyName("item");
                WriteItem(w, reply, InProgress, emptyContent: true);
            })),
        };

        if (reply.ToolCall is { } call)
        {
            foreach (var piece in ChatStreamWriter.SplitFixed(call.Arguments, ArgumentPieceLength))
            {
                frames.Add(new(StreamEventKind.Content, Event("response.function_call_arguments.delta", w =>
                {
                    w.WriteString("item_id", itemId);
                    w.WriteNumber("output_index", 0);
                    w.WriteString("delta", piece);
                })));
            }

            frames.Add(new(StreamEventKind.Finish, Event("response.function_call_arguments.done", w =>
            {
                w.WriteString("item_id", itemId);
                w.WriteNumber("output_index", 0);
                w.WriteString("name", call.Name);
                w.WriteString("arguments", call.Arguments);
            })));
        }
        else
        {
            frames.Add(new(StreamEventKind.Role, Event("response.content_part.added", w => WritePartEvent(w, itemId, ""))));
            foreach (var piece in ChatStreamWriter.SplitWords(reply.Text ?? ""))
            {
                frames.Add(new(StreamEventKind.Content, Event("response.output_text.delta", w =>
                {
                    w.WriteString("item_id", itemId);
                    w.WriteNumber("output_index", 0);
                    w.WriteNumber("content_index", 0);
                    w.WriteString("delta", piece);
                    w.WriteStartArray("logprobs");
                    w.WriteEndArray();
                })));
            }

            frames.Add(new(StreamEventKind.Finish, Event("response.output_text.done", w =>
            {
                w.WriteString("item_id", itemId);
                w.WriteNumber("output_index", 0);
                w.WriteNumber("content_index", 0);
                w.WriteString("text", reply.Text);
                w.WriteStartArray("logprobs");
                w.WriteEndArray();
            })));
            frames.Add(new(StreamEventKind.Finish, Event("response.content_part.done", w => WritePartEvent(w, itemId, reply.Text ?? ""))));
        }

        frames.Add(new(StreamEventKind.Finish, Event("response.output_item.done", w =>
        {
            w.WriteNumber("output_index", 0);
            w.WritePropertyName("item");
            WriteItem(w, reply, Completed, emptyContent: false);
        })));

        var closing = reply.Truncated ? "response.incomplete" : "response.completed";
        var terminal = Event(closing, w => WriteNested(w, reply, reply.Truncated ? "incomplete" : Completed));

        // The error event of a stream that fails mid-way; numbered after every frame, since where it lands is not
        // known when the plan is made.
        var error = SseFrame.Named("error", JsonBody.Write(w =>
        {
            w.WriteStartObject();
            w.WriteString("type", "error");
            w.WriteString("code", "server_error");
            w.WriteString("message", "The server had an error while processing your request. Sorry about that!");
            w.WriteNull("param");
            w.WriteNumber("sequence_number", sequence + 1);
            w.WriteEndObject();
        }));
        var malformed = Encoding.UTF8.GetBytes("event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"delta\":\n\n");
        return new SsePlan(frames, terminal, malformed, error, KeepAlive: null);
    }

    private static void WriteNested(Utf8JsonWriter writer, ChatReply reply, string status)
    {
        writer.WritePropertyName("response");
        WriteResponse(writer, reply, status);
    }

    private static void WriteResponse(Utf8JsonWriter writer, ChatReply reply, string status)
    {
        var done = status != InProgress;
        writer.WriteStartObject();
        writer.WriteString("id", ResponseId(reply));
        writer.WriteString("object", "response");
        writer.WriteNumber("created_at", reply.Created);
        writer.WriteString("status", status);
        writer.WriteNull("error");
        if (status == "incomplete")
        {
            writer.WriteStartObject("incomplete_details");
            writer.WriteString("reason", "max_output_tokens");
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteNull("incomplete_details");
        }

        writer.WriteNull("instructions");
        writer.WriteNull("max_output_tokens");
        writer.WriteString("model", reply.Model);
        writer.WriteStartArray("output");
        if (done)
        {
            WriteItem(writer, reply, Completed, emptyContent: false);
        }

        writer.WriteEndArray();
        writer.WriteBoolean("parallel_tool_calls", true);
        writer.WriteNull("previous_response_id");
        writer.WriteStartObject("reasoning");
        writer.WriteNull("effort");
        writer.WriteNull("summary");
        writer.WriteEndObject();
        writer.WriteBoolean("store", true);
        writer.WriteNumber("temperature", 1.0);
        writer.WriteStartObject("text");
        writer.WriteStartObject("format");
        writer.WriteString("type", "text");
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteString("tool_choice", "auto");
        writer.WriteStartArray("tools");
        writer.WriteEndArray();
        writer.WriteNumber("top_p", 1.0);
        writer.WriteString("truncation", "disabled");
        if (done)
        {
            writer.WriteStartObject("usage");
            writer.WriteNumber("input_tokens", reply.PromptTokens);
            writer.WriteStartObject("input_tokens_details");
            writer.WriteNumber("cached_tokens", 0);
            writer.WriteEndObject();
            writer.WriteNumber("output_tokens", reply.CompletionTokens);
            writer.WriteStartObject("output_tokens_details");
            writer.WriteNumber("reasoning_tokens", 0);
            writer.WriteEndObject();
            writer.WriteNumber("total_tokens", reply.TotalTokens);
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteNull("usage");
        }

        writer.WriteNull("user");
        writer.WriteStartObject("metadata");
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteItem(Utf8JsonWriter writer, ChatReply reply, string status, bool emptyContent)
    {
        writer.WriteStartObject();
        if (reply.ToolCall is { } call)
        {
            writer.WriteString("type", "function_call");
            writer.WriteString("id", ItemId(reply));
            writer.WriteString("call_id", reply.ToolCallId);
            writer.WriteString("name", call.Name);
            writer.WriteString("arguments", emptyContent ? "" : call.Arguments);
            writer.WriteString("status", status);
        }
        else
        {
            writer.WriteString("type", "message");
            writer.WriteString("id", ItemId(reply));
            writer.WriteString("status", status);
            writer.WriteString("role", "assistant");
            writer.WriteStartArray("content");
            if (!emptyContent)
            {
                WriteTextPart(writer, reply.Text ?? "");
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }

    private static void WritePartEvent(Utf8JsonWriter writer, string itemId, string text)
    {
        writer.WriteString("item_id", itemId);
        writer.WriteNumber("output_index", 0);
        writer.WriteNumber("content_index", 0);
        writer.WritePropertyName("part");
        WriteTextPart(writer, text);
    }

    private static void WriteTextPart(Utf8JsonWriter writer, string text)
    {
        writer.WriteStartObject();
        writer.WriteString("type", "output_text");
        writer.WriteString("text", text);
        writer.WriteStartArray("annotations");
        writer.WriteEndArray();
        writer.WriteStartArray("logprobs");
        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
