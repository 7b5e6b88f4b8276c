using System.Text;
using System.Text.Json;

namespace Spillway.Simulator;

/// <summary>
/// Writes a simulated answer in Anthropic's Messages format: the non-streamed <c>message</c> in the member
/// order of fixtures/anthropic-messages-200-with-ratelimit-headers.txt, and the named-event stream of
/// fixtures/anthropic-messages-stream-text.sse and -tool-use.sse (message_start, content_block_start, ping,
/// content_block_delta…, content_block_stop, message_delta, message_stop).
/// </summary>
internal static class AnthropicMessageWriter
{
    // Tool input fragments in the recorded stream are a few characters each.
    private const int InputPieceLength = 8;

    public static string MessageId(ChatReply reply) => "msg_sim" + reply.Id["chatcmpl-sim".Length..];

    public static string ToolUseId(ChatReply reply) => "toolu_sim" + reply.ToolCallId["call_sim".Length..];

    public static string StopReason(ChatReply reply) =>
        reply.ToolCall is not null ? "tool_use" : reply.Truncated ? "max_tokens" : "end_turn";

    public static byte[] Message(ChatReply reply) => JsonBody.Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("id", MessageId(reply));
        writer.WriteString("type", "message");
        writer.WriteString("role", "assistant");
        writer.WriteString("model", reply.Model);
        writer.WriteStartArray("content");
        writer.WriteStartObject();
        if (reply.ToolCall is { } call)
        {
            writer.WriteString("type", "tool_use");
            writer.WriteString("id", ToolUseId(reply));
            writer.WriteString("name", call.Name);
            writer.WritePropertyName("input");
            writer.WriteRawValue(call.Arguments);
        }
        else
        {
            writer.WriteString("type", "text");
            writer.WriteString("text", reply.Text);
        }

        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteString("stop_reason", StopReason(reply));
        writer.WriteNull("stop_sequence");
        writer.WriteStartObject("usage");
        writer.WriteNumber("input_tokens", reply.PromptTokens);
        writer.WriteNumber("cache_creation_input_tokens", 0);
        writer.WriteNumber("cache_read_input_tokens", 0);
        writer.WriteStartObject("cache_creation");
        writer.WriteNumber("ephemeral_5m_input_tokens", 0);
        writer.WriteNumber("ephemeral_1h_input_tokens", 0);
        writer.WriteEndObject();
        writer.WriteNumber("output_tokens", reply.CompletionTokens);
        writer.WriteString("service_tier", "standard");
        writer.WriteEndObject();
        writer.WriteEndObject();
    });

    public static SsePlan Plan(ChatReply reply)
    {
        var frames = new List<SseFrame>
        {
            new(StreamEventKind.Role, Event("message_start", writer =>
            {
                writer.WriteStartObject("message");
                writer.WriteString("id", MessageId(reply));
                writer.WriteString("type", "message");
                writer.WriteString("role", "assistant");
                writer.WriteString("model", reply.Model);
                writer.WriteStartArray("content");
                writer.WriteEndArray();
                writer.WriteNull("stop_reason");
                writer.WriteNull("stop_sequence");
                writer.WriteStartObject("usage");
                writer.WriteNumber("input_tokens", reply.PromptTokens);
                writer.WriteNumber("cache_creation_input_tokens", 0);
                writer.WriteNumber("cache_read_input_tokens", 0);
                writer.WriteNumber("output_tokens", 1);
                writer.WriteString("service_tier", "standard");
                writer.WriteEndObject();
                writer.WriteEndObject();
            })),
            new(StreamEventKind.Role, Event("content_block_start", writer =>
            {
                writer.WriteNumber("index", 0);
                writer.WriteStartObject("content_block");
                if (reply.ToolCall is { } call)
                {
                    writer.WriteString("type", "tool_use");
                    writer.WriteString("id", ToolUseId(reply));
                    writer.WriteString("name", call.Name);
                    writer.WriteStartObject("input");
                    writer.WriteEndObject();
                }
                else
                {
                    writer.WriteString("type", "text");
                    writer.WriteString("text", string.Empty);
                }

                writer.WriteEndObject();
            })),
            new(StreamEventKind.Role, Ping),
        };

        if (reply.ToolCall is { } tool)
        {
            // The recorded tool stream opens with an empty fragment; clients must concatenate and parse at block stop.
            foreach (var piece in ChatStreamWriter.SplitFixed(tool.Arguments, InputPieceLength).Prepend(string.Empty))
            {
                frames.Add(new(StreamEventKind.Content, Delta(writer =>
                {
                    writer.WriteString("type", "input_json_delta");
                    writer.WriteString("partial_json", piece);
                })));
            }
        }
        else
        {
            foreach (var piece in ChatStreamWriter.SplitWords(reply.Text ?? string.Empty))
            {
                frames.Add(new(StreamEventKind.Content, Delta(writer =>
                {
                    writer.WriteString("type", "text_delta");
                    writer.WriteString("text", piece);
                })));
            }
        }

        frames.Add(new(StreamEventKind.Finish, Event("content_block_stop", writer => writer.WriteNumber("index", 0))));
        frames.Add(new(StreamEventKind.Finish, Event("message_delta", writer =>
        {
            writer.WriteStartObject("delta");
            writer.WriteString("stop_reason", StopReason(reply));
            writer.WriteNull("stop_sequence");
            writer.WriteEndObject();
            writer.WriteStartObject("usage");
            writer.WriteNumber("output_tokens", reply.CompletionTokens);
            writer.WriteEndObject();
        })));

        return new SsePlan(
            frames,
            Event("message_stop", _ => { }),
            Encoding.UTF8.GetBytes("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\n\n"),
            SseFrame.Named("error", AnthropicErrors.Body("overloaded_error", "Overloaded", requestId: null)),

            // Pings "may appear anywhere" (docs); the nearest Anthropic equivalent of a keep-alive.
            Ping);
    }

    // Spelled as in the recordings, with the space after the colon that the other events lack.
    private static byte[] Ping => SseFrame.Named("ping", "{\"type\": \"ping\"}"u8.ToArray());

    private static byte[] Delta(Action<Utf8JsonWriter> delta) => Event("content_block_delta", writer =>
    {
        writer.WriteNumber("index", 0);
        writer.WriteStartObject("delta");
        delta(writer);
        writer.WriteEndObject();
    });

    private static byte[] Event(string type, Action<Utf8JsonWriter> members) => SseFrame.Named(type, JsonBody.Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("type", type);
        members(writer);
        writer.WriteEndObject();
    }));
}
