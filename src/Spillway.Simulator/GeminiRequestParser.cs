using System.Text;
using System.Text.Json;

namespace Spillway.Simulator;

/// <summary>
/// Reads a Gemini <c>GenerateContentRequest</c>: <c>contents</c> (required, non-empty), <c>systemInstruction</c>,
/// <c>tools[].functionDeclarations</c>, <c>toolConfig.functionCallingConfig</c> and
/// <c>generationConfig.maxOutputTokens</c>; the model comes from the URL. Tools follow the same rules as the
/// OpenAI side: mode <c>NONE</c> answers in text, <c>ANY</c> forces a call (to the first allowed name), and a
/// last user turn holding a <c>functionResponse</c> gets text unless forced, so agent loops terminate.
/// </summary>
internal static class GeminiRequestParser
{
    public static ChatRequest Parse(ReadOnlyMemory<byte> body, string model, bool stream)
    {
        if (model.Length == 0)
        {
            return Rejected(ErrorKind.MissingModel, null, stream);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return Rejected(ErrorKind.InvalidJson, model, stream);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return Rejected(ErrorKind.InvalidJson, model, stream);
            }

            if (!root.TryGetProperty("contents", out var contents) || contents.ValueKind == JsonValueKind.Null)
            {
                return Rejected(ErrorKind.MissingMessages, model, stream);
            }

            if (contents.ValueKind != JsonValueKind.Array)
            {
                return Rejected(ErrorKind.InvalidMessagesType, model, stream);
            }

            if (contents.GetArrayLength() == 0)
            {
                return Rejected(ErrorKind.EmptyMessages, model, stream);
            }

            var promptBytes = Encoding.UTF8.GetByteCount(contents.GetRawText());
            if (root.TryGetProperty("systemInstruction", out var system))
            {
                promptBytes += Encoding.UTF8.GetByteCount(system.GetRawText());
            }

            int? cap = root.TryGetProperty("generationConfig", out var config)
                && config.ValueKind == JsonValueKind.Object
                && config.TryGetProperty("maxOutputTokens", out var max)
                && max.TryGetInt32(out var maxTokens)
                && maxTokens > 0
                ? maxTokens
                : null;

            var promptTokens = Math.Max(1, (promptBytes + 3) / 4);
            return new ChatRequest(null, model, stream, IncludeUsage: true, promptTokens, PlanToolCall(root, contents), cap, ReadResponseSchema(root), Prefill.OfGemini(contents));
        }
    }

    /// <summary>
    /// <c>generationConfig.responseMimeType: "application/json"</c> asks for JSON: an instance of
    /// <c>responseJsonSchema</c> or <c>responseSchema</c> when one is given, else any JSON object.
    /// </summary>
    private static StructuredOutput? ReadResponseSchema(JsonElement root)
    {
        if (!root.TryGetProperty("generationConfig", out var config)
            || config.ValueKind != JsonValueKind.Object
            || !config.TryGetProperty("responseMimeType", out var mime)
            || mime.ValueKind != JsonValueKind.String
            || !string.Equals(mime.GetString(), "application/json", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return StructuredOutput.From(
            config.TryGetProperty("responseJsonSchema", out var jsonSchema) && jsonSchema.ValueKind == JsonValueKind.Object ? jsonSchema
            : config.TryGetProperty("responseSchema", out var schema) ? schema
            : default);
    }

    private static ChatRequest Rejected(ErrorKind problem, string? model, bool stream) =>
        new(problem, model, stream, IncludeUsage: false, PromptTokens: 0, ToolCall: null);

    private static ToolCallPlan? PlanToolCall(JsonElement root, JsonElement contents)
    {
        if (!root.TryGetProperty("tools", out var tools) || tools.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var forced = false;
        string? allowed = null;
        if (root.TryGetProperty("toolConfig", out var toolConfig)
            && toolConfig.ValueKind == JsonValueKind.Object
            && toolConfig.TryGetProperty("functionCallingConfig", out var calling)
            && calling.ValueKind == JsonValueKind.Object)
        {
            var mode = calling.TryGetProperty("mode", out var modeElement) && modeElement.ValueKind == JsonValueKind.String ? modeElement.GetString() : null;
            if (mode == "NONE")
            {
                return null;
            }

            forced = mode is "ANY" or "VALIDATED";
            if (calling.TryGetProperty("allowedFunctionNames", out var names)
                && names.ValueKind == JsonValueKind.Array
                && names.GetArrayLength() > 0
                && names[0].ValueKind == JsonValueKind.String)
            {
                allowed = names[0].GetString();
            }
        }

        if (!forced && EndsWithFunctionResponse(contents))
        {
            return null;
        }

        foreach (var tool in tools.EnumerateArray())
        {
            if (tool.ValueKind != JsonValueKind.Object
                || !tool.TryGetProperty("functionDeclarations", out var declarations)
                || declarations.ValueKind != JsonValueKind.Array)
            {
                continue;
            }

            foreach (var declaration in declarations.EnumerateArray())
            {
                if (declaration.ValueKind != JsonValueKind.Object
                    || !declaration.TryGetProperty("name", out var nameElement)
                    || nameElement.ValueKind != JsonValueKind.String
                    || (allowed is not null && nameElement.GetString() != allowed))
                {
                    continue;
                }

                // Either Google's OpenAPI-subset schema or plain JSON Schema.
                var schema = declaration.TryGetProperty("parameters", out var parameters) ? parameters
                    : declaration.TryGetProperty("parametersJsonSchema", out var jsonSchema) ? jsonSchema
                    : default;
                return new ToolCallPlan(nameElement.GetString()!, ToolArguments.FromSchema(schema));
            }
        }

        return null;
    }

    private static bool EndsWithFunctionResponse(JsonElement contents)
    {
        var last = contents[contents.GetArrayLength() - 1];
        if (last.ValueKind != JsonValueKind.Object || !last.TryGetProperty("parts", out var parts) || parts.ValueKind != JsonValueKind.Array)
        {
            return false;
        }

        foreach (var part in parts.EnumerateArray())
        {
            if (part.ValueKind == JsonValueKind.Object && part.TryGetProperty("functionResponse", out _))
            {
                return true;
            }
        }

        return false;
    }
}
