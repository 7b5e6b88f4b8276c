using System.Text.Json;

namespace Spillway.Simulator;

/// <summary>
/// <c>POST /{provider}/v1beta/models/{model}:countTokens</c> for the <see cref="SimulatorStyle.GeminiNative"/> style:
/// the body is <c>{"contents": […]}</c> or <c>{"generateContentRequest": {…}}</c> (which also counts the system
/// instruction), checked like <c>generateContent</c>, answered as the real API does
/// (<c>{"totalTokens": N, "promptTokensDetails": [{"modality": "TEXT", "tokenCount": N}]}</c>) with N the
/// <c>promptTokenCount</c> that <c>generateContent</c> reports for the same request. The call is recorded and
/// takes scripted faults, but uses none of the free quota.
/// </summary>
internal static class GeminiCountTokensEndpoint
{
    public static async Task HandleAsync(HttpContext context, SimulatedProvider provider, SimulatorRuntime runtime, string model)
    {
        var body = await CallFlow.ReadBodyAsync(context.Request, context.RequestAborted);
        var request = GeminiRequestParser.Parse(GenerateContentRequest(body), model, stream: false);
        await CallFlow.RunAsync(
            context,
            provider,
            runtime,
            new IncomingCall(GeminiEndpoint.ApiKey(context.Request), body, request),
            (reply, _, fault, _) =>
            {
                var answer = JsonBody.Write(writer =>
                {
                    writer.WriteStartObject();
                    writer.WriteNumber("totalTokens", reply.PromptTokens);
                    writer.WriteStartArray("promptTokensDetails");
                    writer.WriteStartObject();
                    writer.WriteString("modality", "TEXT");
                    writer.WriteNumber("tokenCount", reply.PromptTokens);
                    writer.WriteEndObject();
                    writer.WriteEndArray();
                    writer.WriteEndObject();
                });
                return CompletionResponder.WriteAsync(context, answer, [], fault);
            },
            metered: false);
    }

    /// <summary>The <c>generateContentRequest</c> inside the body when there is one, else the body itself.</summary>
    private static byte[] GenerateContentRequest(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("generateContentRequest", out var inner)
                && inner.ValueKind == JsonValueKind.Object)
            {
                return System.Text.Encoding.UTF8.GetBytes(inner.GetRawText());
            }
        }
        catch (JsonException)
        {
            // The parser answers invalid JSON in Google's words.
        }

        return body;
    }
}
