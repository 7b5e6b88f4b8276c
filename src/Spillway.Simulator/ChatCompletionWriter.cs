using System.Text.Json;

namespace Spillway.Simulator;

/// <summary>
/// Writes the non-streamed <c>chat.completion</c> object and the parts it shares with stream chunks, in the
/// field order of fixtures/openai-chat-completion-200-with-ratelimit-headers.txt.
/// </summary>
internal static class ChatCompletionWriter
{
    public static byte[] Write(ChatReply reply) => JsonBody.Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("id", reply.Id);
        writer.WriteString("object", "chat.completion");
        writer.WriteNumber("created", reply.Created);
        writer.WriteString("model", reply.Model);
        writer.WriteStartArray("choices");
        writer.WriteStartObject();
        writer.WriteNumber("index", 0);
        writer.WriteStartObject("message");
        writer.WriteString("role", "assistant");
        writer.WriteNullableString("content", reply.Text);
        writer.WriteNull("refusal");
        if (reply.Style == SimulatorStyle.OpenAI)
        {
            writer.WriteStartArray("annotations");
            writer.WriteEndArray();
        }

        if (reply.ToolCall is { } call)
        {
            writer.WriteStartArray("tool_calls");
            writer.WriteStartObject();
            writer.WriteString("id", reply.ToolCallId);
            writer.WriteString("type", "function");
            writer.WriteStartObject("function");
            writer.WriteString("name", call.Name);
            writer.WriteString("arguments", call.Arguments);
            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.WriteEndArray();
        }

        writer.WriteEndObject();
        writer.WriteNull("logprobs");
        writer.WriteString("finish_reason", reply.FinishReason);
        writer.WriteEndObject();
        writer.WriteEndArray();
        WriteUsage(writer, reply);
        writer.WriteString("system_fingerprint", ChatReply.Fingerprint);
        WriteVendorExtras(writer, reply);
        writer.WriteEndObject();
    });

    /// <summary>The <c>usage</c> member: OpenAI's full shape with zero cached and reasoning tokens.</summary>
    public static void WriteUsage(Utf8JsonWriter writer, ChatReply reply)
    {
        writer.WriteStartObject("usage");
        writer.WriteNumber("prompt_tokens", reply.PromptTokens);
        writer.WriteNumber("completion_tokens", reply.CompletionTokens);
        writer.WriteNumber("total_tokens", reply.TotalTokens);
        writer.WriteStartObject("prompt_tokens_details");
        writer.WriteNumber("cached_tokens", 0);
        writer.WriteNumber("audio_tokens", 0);
        writer.WriteEndObject();
        writer.WriteStartObject("completion_tokens_details");
        writer.WriteNumber("reasoning_tokens", 0);
        writer.WriteNumber("audio_tokens", 0);
        writer.WriteNumber("accepted_prediction_tokens", 0);
        writer.WriteNumber("rejected_prediction_tokens", 0);
        writer.WriteEndObject();
        if (reply.Style == SimulatorStyle.Groq)
        {
            // Groq's timing fields (seconds), with small fixed values: nothing is really queued or computed.
            writer.WriteNumber("queue_time", 0.0001);
            writer.WriteNumber("prompt_time", 0.001);
            writer.WriteNumber("completion_time", 0.002);
            writer.WriteNumber("total_time", 0.003);
        }

        writer.WriteEndObject();
    }

    /// <summary>
    /// The top-level members real vendors add and gateways must tolerate, as recorded in
    /// fixtures/openai-chat-completion-200-with-ratelimit-headers.txt (<c>service_tier</c>) and
    /// fixtures/groq-chat-completion-200-with-ratelimit-headers.txt (<c>usage_breakdown</c>, <c>x_groq.id</c>,
    /// <c>service_tier</c>), and OpenRouter's <c>provider</c>.
    /// </summary>
    private static void WriteVendorExtras(Utf8JsonWriter writer, ChatReply reply)
    {
        switch (reply.Style)
        {
            case SimulatorStyle.OpenAI:
                writer.WriteString("service_tier", "default");
                break;
            case SimulatorStyle.Groq:
                writer.WriteNull("usage_breakdown");
                writer.WriteStartObject("x_groq");
                writer.WriteString("id", "req_" + reply.Id["chatcmpl-".Length..]);
                writer.WriteEndObject();
                writer.WriteString("service_tier", "on_demand");
                break;
            case SimulatorStyle.OpenRouter:
                writer.WriteString("provider", ChatReply.OpenRouterProvider);
                break;
            default:
                break;
        }
    }
}
