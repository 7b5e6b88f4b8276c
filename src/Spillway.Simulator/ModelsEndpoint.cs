using System.Text.Json;

namespace Spillway.Simulator;

/// <summary>
/// <c>GET /{provider}/v1/models</c>: OpenAI's list shape (fixtures/openai-models-list-200.txt), or for the
/// OpenRouter style the richer OpenRouter model objects (fixtures/openrouter-models-api-response-2025-12.json)
/// with <c>pricing</c>, so free-model discovery can run against the simulator. Ids ending in <c>:free</c> are
/// priced "0"; the other prices are made-up simulator values.
/// </summary>
internal static class ModelsEndpoint
{
    // A fixed date keeps answers stable: 2025-01-01T00:00:00Z.
    private const long Created = 1_735_689_600;
    private const int ContextLength = 131_072;

    public static Task HandleAsync(HttpContext context, SimulatedProvider provider, SimulatorRuntime runtime)
    {
        provider.CountModelList();
        var now = runtime.Time.GetUtcNow();

        // OpenRouter serves its model list without a key; the others want one like any call.
        if (provider.Style != SimulatorStyle.OpenRouter && ChatCompletionsEndpoint.BearerKey(context.Request) is null)
        {
            var settings = provider.Settings();
            var facts = new ErrorFacts(ErrorKind.MissingApiKey, string.Empty, 0, TimeSpan.Zero, 0, now, default, settings.Limits, string.Empty);
            return ChatCompletionsEndpoint.WriteReplyAsync(context, ErrorReplies.Build(provider.Style, facts));
        }

        if (provider.ModelListBody is { } recorded)
        {
            return RecordedModelList.WriteAsync(context, recorded);
        }

        var models = provider.Models;
        var body = provider.Style == SimulatorStyle.OpenRouter ? OpenRouterList(models) : OpenAIList(models);
        return ChatCompletionsEndpoint.WriteReplyAsync(context, SimulatedReply.Json(StatusCodes.Status200OK, body));
    }

    private static byte[] OpenAIList(IReadOnlyList<string> models) => JsonBody.Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("object", "list");
        writer.WriteStartArray("data");
        foreach (var id in models)
        {
            writer.WriteStartObject();
            writer.WriteString("id", id);
            writer.WriteString("object", "model");
            writer.WriteNumber("created", Created);
            writer.WriteString("owned_by", ChatReply.Fingerprint);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    });

    private static byte[] OpenRouterList(IReadOnlyList<string> models) => JsonBody.Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteStartArray("data");
        foreach (var id in models)
        {
            WriteOpenRouterModel(writer, id);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    });

    private static void WriteOpenRouterModel(Utf8JsonWriter writer, string id)
    {
        var free = id.EndsWith(":free", StringComparison.Ordinal);
        writer.WriteStartObject();
        writer.WriteString("id", id);
        writer.WriteString("canonical_slug", free ? id[..^":free".Length] : id);
        writer.WriteString("hugging_face_id", string.Empty);
        writer.WriteString("name", id + " (Spillway simulator)");
        writer.WriteNumber("created", Created);
        writer.WriteString("description", "A simulated model served by the Spillway provider simulator; not a real model.");
        writer.WriteNumber("context_length", ContextLength);
        writer.WriteStartObject("architecture");
        writer.WriteString("modality", "text->text");
        WriteStrings(writer, "input_modalities", "text");
        WriteStrings(writer, "output_modalities", "text");
        writer.WriteString("tokenizer", "Other");
        writer.WriteNull("instruct_type");
        writer.WriteEndObject();
        writer.WriteStartObject("pricing");
        writer.WriteString("prompt", free ? "0" : "0.0000001");
        writer.WriteString("completion", free ? "0" : "0.0000004");
        writer.WriteString("request", "0");
        writer.WriteString("image", "0");
        writer.WriteString("web_search", "0");
        writer.WriteString("internal_reasoning", "0");
        writer.WriteEndObject();
        writer.WriteStartObject("top_provider");
        writer.WriteNumber("context_length", ContextLength);
        writer.WriteNull("max_completion_tokens");
        writer.WriteBoolean("is_moderated", false);
        writer.WriteEndObject();
        writer.WriteNull("per_request_limits");
        WriteStrings(writer, "supported_parameters", "max_tokens", "stop", "temperature", "tool_choice", "tools", "top_p");
        writer.WriteNull("default_parameters");
        writer.WriteEndObject();
    }

    private static void WriteStrings(Utf8JsonWriter writer, string name, params string[] values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }
}
