using System.Text.Json;
using Spillway.Core.Chat;

namespace Spillway.Core.Codecs.Gemini;

/// <summary>
/// Writes <c>generationConfig</c>: sampling, limits, stop sequences, JSON mode and thinking. It is always written,
/// even empty, as Google's own SDKs send it. <c>candidateCount</c> is left at Gemini's default of one, the only
/// count the canonical model has.
/// </summary>
internal static class GeminiGenerationConfigEncoder
{
    public static ChatError? Write(Utf8JsonWriter writer, ChatRequest request, GeminiHints hints)
    {
        var written = new HashSet<string>(StringComparer.Ordinal);
        writer.WriteStartObject("generationConfig"u8);
        if (request.StopSequences.Count > 0)
        {
            writer.WriteStartArray("stopSequences"u8);
            foreach (var stop in request.StopSequences)
            {
                writer.WriteStringValue(stop);
            }

            writer.WriteEndArray();
            written.Add("stopSequences");
        }

        WriteNumber(writer, "maxOutputTokens", request.MaxOutputTokens, written);
        WriteNumber(writer, "temperature", request.Temperature, written);
        WriteNumber(writer, "topP", request.TopP, written);
        WriteNumber(writer, "topK", request.TopK, written);
        if (request.Seed is { } seed)
        {
            // Gemini's seed is an int32.
            if (seed is < int.MinValue or > int.MaxValue)
            {
                return ChatError.InvalidRequest($"The seed {seed} is outside the 32-bit range Gemini takes.", "seed");
            }

            WriteNumber(writer, "seed", (int)seed, written);
        }

        var error = WriteResponseFormat(writer, request.ResponseFormat, hints, written);
        if (error is not null)
        {
            return error;
        }

        WriteThinking(writer, request);
        written.Add("thinkingConfig");
        foreach (var extension in request.Extensions.Of(WireFormat.Gemini))
        {
            if (extension.Name.StartsWith(GeminiNames.GenerationConfigPrefix, StringComparison.Ordinal)
                && !extension.Name.StartsWith(GeminiNames.ThinkingConfigPrefix, StringComparison.Ordinal))
            {
                var name = extension.Name[GeminiNames.GenerationConfigPrefix.Length..];
                if (written.Add(name))
                {
                    writer.WritePropertyName(name);
                    extension.Value.WriteTo(writer);
                }
            }
        }

        writer.WriteEndObject();
        return null;
    }

    private static ChatError? WriteResponseFormat(
        Utf8JsonWriter writer, ChatResponseFormat? format, GeminiHints hints, HashSet<string> written)
    {
        if (format is null || format.Type == ResponseFormatType.Text)
        {
            return null;
        }

        writer.WriteString("responseMimeType"u8, "application/json"u8);
        written.Add("responseMimeType");
        if (format.Type == ResponseFormatType.JsonSchema && !format.Schema.IsEmpty)
        {
            writer.WritePropertyName("responseSchema"u8);
            written.Add("responseSchema");
            var owner = format.Name is null ? "the response format" : $"the response format '{format.Name}'";
            return GeminiSchemaReducer.Write(writer, format.Schema, hints, owner, "response_format");
        }

        return null;
    }

    /// <summary>
    /// Writes <c>thinkingConfig</c>: a budget as <c>thinkingBudget</c>, adaptive as <c>-1</c> (Gemini's dynamic
    /// thinking), disabled as <c>0</c>; thoughts are included whenever thinking is on, so the caller sees them as
    /// thinking parts. Gemini's own <c>includeThoughts</c> and <c>thinkingLevel</c>, when a Gemini client sent
    /// them, win (a level excludes a budget, so adaptive then writes none).
    /// </summary>
    private static void WriteThinking(Utf8JsonWriter writer, ChatRequest request)
    {
        var own = request.Extensions.Of(WireFormat.Gemini)
            .Where(x => x.Name.StartsWith(GeminiNames.ThinkingConfigPrefix, StringComparison.Ordinal))
            .ToList();
        if (request.Thinking is null && own.Count == 0)
        {
            return;
        }

        var names = own.Select(x => x.Name[GeminiNames.ThinkingConfigPrefix.Length..]).ToList();
        writer.WriteStartObject("thinkingConfig"u8);
        if (request.Thinking is { } thinking)
        {
            int? budget = thinking.Mode switch
            {
                ThinkingMode.Enabled => thinking.BudgetTokens ?? -1,
                ThinkingMode.Disabled => 0,
                _ => names.Contains("thinkingLevel") ? null : -1,
            };
            if (budget is not null)
            {
                writer.WriteNumber("thinkingBudget"u8, budget.Value);
                names.Remove("thinkingBudget");
            }

            if (!names.Contains("includeThoughts") && thinking.Mode != ThinkingMode.Disabled)
            {
                writer.WriteBoolean("includeThoughts"u8, true);
            }
        }

        for (var i = 0; i < own.Count; i++)
        {
            var name = own[i].Name[GeminiNames.ThinkingConfigPrefix.Length..];
            if (names.Contains(name))
            {
                writer.WritePropertyName(name);
                own[i].Value.WriteTo(writer);
            }
        }

        writer.WriteEndObject();
    }

    private static void WriteNumber(Utf8JsonWriter writer, string name, double? value, HashSet<string> written)
    {
        if (value is { } number)
        {
            writer.WriteNumber(name, number);
            written.Add(name);
        }
    }

    private static void WriteNumber(Utf8JsonWriter writer, string name, int? value, HashSet<string> written)
    {
        if (value is { } number)
        {
            writer.WriteNumber(name, number);
            written.Add(name);
        }
    }
}
