using System.Text.Json;
using Spillway.Core.Chat;

namespace Spillway.Core.Codecs.Gemini;

/// <summary>
/// Reads <c>generationConfig</c> into the canonical fields. What has no canonical field stays a Gemini extension
/// (<c>generationConfig.{name}</c>); those that change the answer's kind (more than one candidate, image or audio
/// output, a non-JSON response type) are marked must-honour, so another format refuses rather than drops them.
/// </summary>
internal static class GeminiGenerationConfigDecoder
{
    private static readonly string[] MustHonor = ["responseModalities", "speechConfig", "imageConfig"];

    public static void Read(ref Utf8JsonReader reader, ReadOnlySpan<byte> source, GeminiRequestDraft draft)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        string? mimeType = null;
        RawJson schema = default, jsonSchema = default;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            reader.Read();
            switch (name)
            {
                case "stopSequences" when reader.TokenType == JsonTokenType.StartArray:
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        if (GeminiJson.ReadString(ref reader) is { } stop)
                        {
                            draft.StopSequences.Add(stop);
                        }
                    }

                    break;
                case "maxOutputTokens":
                    draft.MaxOutputTokens = ToInt(GeminiJson.ReadInt64(ref reader));
                    break;
                case "temperature":
                    draft.Temperature = GeminiJson.ReadDouble(ref reader);
                    break;
                case "topP":
                    draft.TopP = GeminiJson.ReadDouble(ref reader);
                    break;
                case "topK":
                    draft.TopK = ToInt((long?)GeminiJson.ReadDouble(ref reader));
                    break;
                case "seed":
                    draft.Seed = GeminiJson.ReadInt64(ref reader);
                    break;
                case "responseMimeType":
                    mimeType = GeminiJson.ReadString(ref reader);
                    break;
                case "responseSchema":
                    schema = GeminiJson.Capture(ref reader, source);
                    break;
                case "responseJsonSchema":
                    jsonSchema = GeminiJson.Capture(ref reader, source);
                    break;
                case "thinkingConfig":
                    ReadThinking(ref reader, source, draft);
                    break;
                case "candidateCount":
                    var count = GeminiJson.Capture(ref reader, source);
                    if (count.ToString() != "1")
                    {
                        draft.Extensions.Add(new ChatExtension(WireFormat.Gemini, GeminiNames.GenerationConfigPrefix + name, count, MustHonor: true));
                    }

                    break;
                default:
                    draft.Extensions.Add(new ChatExtension(
                        WireFormat.Gemini, GeminiNames.GenerationConfigPrefix + name, GeminiJson.Capture(ref reader, source),
                        MustHonor.Contains(name)));
                    break;
            }
        }

        SetResponseFormat(draft, mimeType, schema, jsonSchema);
    }

    /// <summary>Gemini's int32 fields, clamped rather than wrapped should a client send more.</summary>
    private static int? ToInt(long? value) => value is { } v ? (int)Math.Clamp(v, int.MinValue, int.MaxValue) : null;

    private static void SetResponseFormat(GeminiRequestDraft draft, string? mimeType, RawJson schema, RawJson jsonSchema)
    {
        if (mimeType == "application/json")
        {
            var canonical = !jsonSchema.IsEmpty ? GeminiSchemaExpander.LowerCaseTypes(jsonSchema) : !schema.IsEmpty ? GeminiSchemaExpander.ToJsonSchema(schema) : default;
            draft.ResponseFormat = canonical.IsEmpty
                ? new ChatResponseFormat(ResponseFormatType.JsonObject)
                : new ChatResponseFormat(ResponseFormatType.JsonSchema) { Schema = canonical };
            return;
        }

        // Another type (text/x.enum) or a schema without JSON: only Gemini can do it, so nobody may drop it.
        if ((mimeType is not null && mimeType != "text/plain") || !schema.IsEmpty || !jsonSchema.IsEmpty)
        {
            if (mimeType is not null)
            {
                draft.Extensions.Add(new ChatExtension(
                    WireFormat.Gemini, GeminiNames.GenerationConfigPrefix + "responseMimeType",
                    GeminiPartConverter.RawJsonOf(mimeType), MustHonor: true));
            }

            if (!schema.IsEmpty)
            {
                draft.Extensions.Add(new ChatExtension(
                    WireFormat.Gemini, GeminiNames.GenerationConfigPrefix + "responseSchema", schema, MustHonor: true));
            }

            if (!jsonSchema.IsEmpty)
            {
                draft.Extensions.Add(new ChatExtension(
                    WireFormat.Gemini, GeminiNames.GenerationConfigPrefix + "responseJsonSchema", jsonSchema, MustHonor: true));
            }
        }
    }

    /// <summary>
    /// Reads <c>thinkingConfig</c>: a budget of 0 is thinking disabled, -1 (dynamic) adaptive, more a budget.
    /// <c>includeThoughts</c> and <c>thinkingLevel</c> stay Gemini extensions.
    /// </summary>
    private static void ReadThinking(ref Utf8JsonReader reader, ReadOnlySpan<byte> source, GeminiRequestDraft draft)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            reader.Read();
            if (name == "thinkingBudget" && GeminiJson.ReadInt64(ref reader) is { } budget)
            {
                draft.Thinking = budget switch
                {
                    0 => new ChatThinking(ThinkingMode.Disabled),
                    < 0 => new ChatThinking(ThinkingMode.Adaptive),
                    _ => new ChatThinking(ThinkingMode.Enabled, (int)Math.Min(budget, int.MaxValue)),
                };
            }
            else if (name != "thinkingBudget")
            {
                draft.Extensions.Add(new ChatExtension(
                    WireFormat.Gemini, GeminiNames.ThinkingConfigPrefix + name, GeminiJson.Capture(ref reader, source)));
            }
        }
    }
}
