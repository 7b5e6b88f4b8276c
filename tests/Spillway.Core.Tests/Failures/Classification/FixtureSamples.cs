using System.Text;
using System.Text.Json;
using Spillway.TestSupport;

namespace Spillway.Core.Tests.Failures.Classification;

/// <summary>
/// The recorded error samples of shared/fixtures/*-samples.json, turned into what the classifier sees: a status and
/// the body bytes. Samples quoted only as message text get the provider's envelope around the text; streamed
/// error events (HTTP status 200) keep their data line.
/// </summary>
internal static class FixtureSamples
{
    public static int Count(string file)
    {
        using var document = JsonDocument.Parse(Fixtures.ReadText(file));
        return document.RootElement.GetProperty("samples").GetArrayLength();
    }

    public static (int Status, byte[] Body) Load(string file, int index, Func<string, object> envelope)
    {
        using var document = JsonDocument.Parse(Fixtures.ReadText(file));
        var sample = document.RootElement.GetProperty("samples")[index];
        var status = sample.TryGetProperty("http_status", out var code) ? code.GetInt32() : 200;
        if (sample.TryGetProperty("body", out var body) || sample.TryGetProperty("body_fragment", out body))
        {
            return (status, Encoding.UTF8.GetBytes(body.GetRawText()));
        }

        if (sample.TryGetProperty("message_text", out var text))
        {
            return (status, JsonSerializer.SerializeToUtf8Bytes(envelope(text.GetString()!)));
        }

        var stream = (sample.TryGetProperty("sse_line", out var line) ? line : sample.GetProperty("sse")).GetString()!;
        var data = stream.Split('\n').Single(l => l.StartsWith("data:", StringComparison.Ordinal));
        return (status, Encoding.UTF8.GetBytes(data["data:".Length..].Trim()));
    }

    /// <summary>OpenAI's envelope, as Groq and OpenAI send it with a rate-limit message.</summary>
    public static object OpenAIEnvelope(string message) =>
        new { error = new { message, type = (string?)null, param = (string?)null, code = "rate_limit_exceeded" } };

    /// <summary>google.rpc.Status as Gemini sends it on 429.</summary>
    public static object GeminiEnvelope(string message) =>
        new { error = new { code = 429, message, status = "RESOURCE_EXHAUSTED" } };

    public static DateTimeOffset At(string iso) =>
        DateTimeOffset.Parse(iso, System.Globalization.CultureInfo.InvariantCulture);
}
