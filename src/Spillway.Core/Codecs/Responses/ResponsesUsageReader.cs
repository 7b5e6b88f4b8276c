using System.Text.Json;
using Spillway.Core.Chat;

namespace Spillway.Core.Codecs.Responses;

/// <summary>
/// Reads Responses <c>usage</c> from an upstream that speaks the Responses API: <c>input_tokens</c> (cached input
/// included), <c>output_tokens</c> (reasoning included), <c>input_tokens_details.cached_tokens</c> and
/// <c>output_tokens_details.reasoning_tokens</c>, as <see cref="TokenUsage"/> counts them.
/// </summary>
internal static class ResponsesUsageReader
{
    /// <summary>The usage of a whole response object's body; null when it has none or is not JSON.</summary>
    public static TokenUsage? ReadBody(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            using var document = JsonDocument.ParseValue(ref reader);
            return Read(document.RootElement);
        }
        catch (JsonException)
        {
            // A body cut short or mangled has no usage we can trust; the call is recorded without it.
            return null;
        }
    }

    /// <summary>The usage of a response object; null when it has none.</summary>
    public static TokenUsage? Read(JsonElement response)
    {
        if (response.ValueKind != JsonValueKind.Object || !JsonElementReader.TryGet(response, "usage", out var usage)
            || usage.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var cached = JsonElementReader.TryGet(usage, "input_tokens_details", out var input) ? JsonElementReader.Long(input, "cached_tokens") ?? 0 : 0;
        var reasoning = JsonElementReader.TryGet(usage, "output_tokens_details", out var output) ? JsonElementReader.Long(output, "reasoning_tokens") ?? 0 : 0;
        return new TokenUsage(
            JsonElementReader.Long(usage, "input_tokens") ?? 0,
            JsonElementReader.Long(usage, "output_tokens") ?? 0,
            cached,
            reasoning);
    }
}
