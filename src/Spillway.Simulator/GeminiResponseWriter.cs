using System.Text;
using System.Text.Json;

namespace Spillway.Simulator;

/// <summary>
/// Writes a simulated answer as Gemini's <c>GenerateContentResponse</c>, in the shape of
/// fixtures/gemini-generateContent-function-calling-recording.json, and its <c>?alt=sse</c> stream as in
/// fixtures/gemini-streamGenerateContent-sse-recording.json: every chunk a whole response with a piece of the
/// text, the same <c>modelVersion</c>/<c>responseId</c>, partial usage (prompt and total only), and the last
/// chunk with <c>finishReason</c> and the complete usage. No event names, no <c>[DONE]</c>.
/// </summary>
internal static class GeminiResponseWriter
{
    // Real chunks carry a sentence or more; a few words per chunk keeps even a short reply multi-chunk.
    private const int WordsPerChunk = 3;

    public static string ResponseId(ChatReply reply) => "sim" + reply.Id["chatcmpl-sim".Length..];

    public static string FinishReason(ChatReply reply) => reply.Truncated ? "MAX_TOKENS" : "STOP";

    public static byte[] Response(ChatReply reply) => Chunk(reply, reply.Text, final: true);

    /// <summary>The stream's chunks, each a whole <c>GenerateContentResponse</c>; only the last is final.</summary>
    public static List<byte[]> Chunks(ChatReply reply)
    {
        if (reply.ToolCall is not null)
        {
            // Function calls arrive whole, in the one final chunk.
            return [Chunk(reply, null, final: true)];
        }

        var pieces = ChatStreamWriter.SplitWords(reply.Text ?? string.Empty).Chunk(WordsPerChunk).Select(words => string.Concat(words)).ToList();
        if (pieces.Count == 0)
        {
            pieces.Add(string.Empty);
        }

        return [.. pieces.Select((piece, i) => Chunk(reply, piece, final: i == pieces.Count - 1))];
    }

    public static SsePlan Plan(ChatReply reply)
    {
        var chunks = Chunks(reply);
        var frames = chunks
            .Select((chunk, i) => new SseFrame(i == chunks.Count - 1 ? StreamEventKind.Finish : StreamEventKind.Content, SseFrame.Data(chunk)))
            .ToList();

        var overloaded = new ErrorFacts(ErrorKind.Overloaded, reply.Model, 0, TimeSpan.Zero, 0, default, default, default, string.Empty);
        return new SsePlan(
            frames,
            Terminal: null,
            SseFrame.Data(Encoding.UTF8.GetBytes("{\"candidates\": [{\"content\": {\"parts\": [{\"text\": ")),

            // After the 200 a failure can only travel as a chunk: the google.rpc.Status object itself.
            SseFrame.Data(GeminiErrors.Build(overloaded, asArray: false).Body),
            KeepAlive: null);
    }

    private static byte[] Chunk(ChatReply reply, string? text, bool final) => JsonBody.Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteStartArray("candidates");
        writer.WriteStartObject();
        writer.WriteStartObject("content");
        writer.WriteStartArray("parts");
        writer.WriteStartObject();
        if (reply.ToolCall is { } call)
        {
            writer.WriteStartObject("functionCall");
            writer.WriteString("name", call.Name);
            writer.WritePropertyName("args");
            writer.WriteRawValue(call.Arguments);
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteString("text", text);
        }

        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteString("role", "model");
        writer.WriteEndObject();
        if (final)
        {
            writer.WriteString("finishReason", FinishReason(reply));
            writer.WriteNumber("index", 0);
        }

        writer.WriteEndObject();
        writer.WriteEndArray();
        WriteUsage(writer, reply, final);
        writer.WriteString("modelVersion", reply.Model);
        writer.WriteString("responseId", ResponseId(reply));
        writer.WriteEndObject();
    });

    private static void WriteUsage(Utf8JsonWriter writer, ChatReply reply, bool complete)
    {
        writer.WriteStartObject("usageMetadata");
        writer.WriteNumber("promptTokenCount", reply.PromptTokens);
        if (complete)
        {
            writer.WriteNumber("candidatesTokenCount", reply.CompletionTokens);
        }

        writer.WriteNumber("totalTokenCount", complete ? reply.TotalTokens : reply.PromptTokens);
        WriteDetails(writer, "promptTokensDetails", reply.PromptTokens);
        if (complete)
        {
            WriteDetails(writer, "candidatesTokensDetails", reply.CompletionTokens);
        }

        writer.WriteEndObject();
    }

    private static void WriteDetails(Utf8JsonWriter writer, string name, int tokens)
    {
        writer.WriteStartArray(name);
        writer.WriteStartObject();
        writer.WriteString("modality", "TEXT");
        writer.WriteNumber("tokenCount", tokens);
        writer.WriteEndObject();
        writer.WriteEndArray();
    }
}
