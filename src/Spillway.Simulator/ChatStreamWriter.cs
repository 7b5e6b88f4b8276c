using System.Text;
using System.Text.Json;

namespace Spillway.Simulator;

/// <summary>
/// Builds the <c>chat.completion.chunk</c> sequence of a streamed answer, as in
/// fixtures/openai-chat-stream-text.sse: a role chunk with <c>content:""</c>, the content pieces, a chunk with
/// <c>delta:{}</c> and the finish_reason, then (only with <c>stream_options.include_usage</c>) a usage chunk
/// with <c>choices:[]</c>. A tool call streams its id and name first, then argument fragments by index.
/// </summary>
internal static class ChatStreamWriter
{
    // Tool-call argument fragments in real streams are a few characters each.
    private const int ArgumentPieceLength = 8;

    public static List<StreamEvent> BuildEvents(ChatReply reply)
    {
        var events = new List<StreamEvent>();
        if (reply.ToolCall is { } call)
        {
            events.Add(new(StreamEventKind.Role, Chunk(reply, writer =>
            {
                writer.WriteString("role", "assistant");
                writer.WriteNull("content");
                writer.WriteStartArray("tool_calls");
                writer.WriteStartObject();
                writer.WriteNumber("index", 0);
                writer.WriteString("id", reply.ToolCallId);
                writer.WriteString("type", "function");
                writer.WriteStartObject("function");
                writer.WriteString("name", call.Name);
                writer.WriteString("arguments", string.Empty);
                writer.WriteEndObject();
                writer.WriteEndObject();
                writer.WriteEndArray();
                writer.WriteNull("refusal");
            })));

            foreach (var piece in SplitFixed(call.Arguments, ArgumentPieceLength))
            {
                events.Add(new(StreamEventKind.Content, Chunk(reply, writer =>
                {
                    writer.WriteStartArray("tool_calls");
                    writer.WriteStartObject();
                    writer.WriteNumber("index", 0);
                    writer.WriteStartObject("function");
                    writer.WriteString("arguments", piece);
                    writer.WriteEndObject();
                    writer.WriteEndObject();
                    writer.WriteEndArray();
                })));
            }
        }
        else
        {
            events.Add(new(StreamEventKind.Role, Chunk(reply, writer =>
            {
                writer.WriteString("role", "assistant");
                writer.WriteString("content", string.Empty);
                writer.WriteNull("refusal");
            })));

            foreach (var piece in SplitWords(reply.Text ?? string.Empty))
            {
                events.Add(new(StreamEventKind.Content, Chunk(reply, writer => writer.WriteString("content", piece))));
            }
        }

        events.Add(new(StreamEventKind.Finish, Chunk(reply, _ => { }, reply.FinishReason)));
        if (reply.IncludeUsage)
        {
            events.Add(new(StreamEventKind.Usage, JsonBody.Write(writer =>
            {
                WriteChunkHead(writer, reply);
                writer.WriteStartArray("choices");
                writer.WriteEndArray();
                ChatCompletionWriter.WriteUsage(writer, reply);
                writer.WriteEndObject();
            })));
        }

        return events;
    }

    /// <summary>The whole stream as SSE frames, ending with <c>data: [DONE]</c> (OpenRouter's error chunk and keep-alive comment for the faults).</summary>
    public static SsePlan Plan(ChatReply reply) => new(
        [.. BuildEvents(reply).Select(streamEvent => new SseFrame(streamEvent.Kind, SseFrame.Data(streamEvent.Json)))],
        "data: [DONE]\n\n"u8.ToArray(),
        SseFrame.Data(Malformed(reply)),
        SseFrame.Data(JsonBody.Write(writer =>
            OpenRouterErrors.WriteStreamErrorChunk(writer, reply.Id, reply.Created, reply.Model, ChatReply.OpenRouterProvider))),

        // OpenRouter's keep-alive comment (fixtures/openrouter-error-samples.json); SSE clients must skip it.
        ": OPENROUTER PROCESSING\n\n"u8.ToArray());

    /// <summary>The first bytes of a chunk, cut inside the JSON: what a <see cref="SimulatedFaultKind.MalformedEvent"/> sends.</summary>
    public static byte[] Malformed(ChatReply reply) =>
        Encoding.UTF8.GetBytes("{\"id\":\"" + reply.Id + "\",\"object\":\"chat.completion.chunk\",\"created\":");

    /// <summary>Text pieces the way tokens arrive: a word and its leading space per piece.</summary>
    public static List<string> SplitWords(string text)
    {
        var pieces = new List<string>();
        var start = 0;
        for (var i = 1; i < text.Length; i++)
        {
            if (text[i] == ' ' && text[i - 1] != ' ')
            {
                pieces.Add(text[start..i]);
                start = i;
            }
        }

        if (start < text.Length)
        {
            pieces.Add(text[start..]);
        }

        return pieces;
    }

    /// <summary>Pieces of at most <paramref name="length"/> characters (tool-call argument fragments).</summary>
    public static List<string> SplitFixed(string text, int length)
    {
        var pieces = new List<string>();
        var start = 0;
        while (start < text.Length)
        {
            var end = Math.Min(text.Length, start + length);

            // Never split a surrogate pair: each piece must be valid UTF-16 on its own.
            if (end < text.Length && char.IsLowSurrogate(text[end]))
            {
                end++;
            }

            pieces.Add(text[start..end]);
            start = end;
        }

        return pieces;
    }

    private static byte[] Chunk(ChatReply reply, Action<Utf8JsonWriter> delta, string? finishReason = null) =>
        JsonBody.Write(writer =>
        {
            WriteChunkHead(writer, reply);
            writer.WriteStartArray("choices");
            writer.WriteStartObject();
            writer.WriteNumber("index", 0);
            writer.WriteStartObject("delta");
            delta(writer);
            writer.WriteEndObject();
            writer.WriteNull("logprobs");
            writer.WriteNullableString("finish_reason", finishReason);
            writer.WriteEndObject();
            writer.WriteEndArray();

            // With include_usage, OpenAI puts "usage":null on every chunk but the last.
            if (reply.IncludeUsage)
            {
                writer.WriteNull("usage");
            }

            writer.WriteEndObject();
        });

    private static void WriteChunkHead(Utf8JsonWriter writer, ChatReply reply)
    {
        writer.WriteStartObject();
        writer.WriteString("id", reply.Id);
        writer.WriteString("object", "chat.completion.chunk");
        writer.WriteNumber("created", reply.Created);
        writer.WriteString("model", reply.Model);
        writer.WriteString("system_fingerprint", ChatReply.Fingerprint);
        if (reply.Style == SimulatorStyle.OpenRouter)
        {
            writer.WriteString("provider", ChatReply.OpenRouterProvider);
        }
    }
}
