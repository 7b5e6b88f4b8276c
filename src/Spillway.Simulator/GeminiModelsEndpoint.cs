namespace Spillway.Simulator;

/// <summary>
/// <c>GET /{provider}/v1beta/models</c> for the <see cref="SimulatorStyle.GeminiNative"/> style: Gemini's list
/// shape <c>{"models":[{"name":"models/…",…,"supportedGenerationMethods":[…]}]}</c>. Limits and sampling values
/// are those Google lists for its Flash models; the descriptions say the models are simulated.
/// </summary>
internal static class GeminiModelsEndpoint
{
    public static Task HandleAsync(HttpContext context, SimulatedProvider provider, SimulatorRuntime runtime)
    {
        provider.CountModelList();
        if (GeminiEndpoint.ApiKey(context.Request) is null)
        {
            var facts = new ErrorFacts(ErrorKind.MissingApiKey, string.Empty, 0, TimeSpan.Zero, 0, runtime.Time.GetUtcNow(), default, default, string.Empty);
            return ChatCompletionsEndpoint.WriteReplyAsync(context, GeminiErrors.Build(facts, asArray: false));
        }

        var body = JsonBody.Write(writer =>
        {
            writer.WriteStartObject();
            writer.WriteStartArray("models");
            foreach (var id in provider.Models)
            {
                writer.WriteStartObject();
                writer.WriteString("name", "models/" + id);
                writer.WriteString("version", "001");
                writer.WriteString("displayName", id + " (Spillway simulator)");
                writer.WriteString("description", "A simulated model served by the Spillway provider simulator; not a real model.");
                writer.WriteNumber("inputTokenLimit", 1_048_576);
                writer.WriteNumber("outputTokenLimit", 65_536);
                writer.WriteStartArray("supportedGenerationMethods");
                writer.WriteStringValue("generateContent");
                writer.WriteStringValue("streamGenerateContent");
                writer.WriteEndArray();
                writer.WriteNumber("temperature", 1);
                writer.WriteNumber("topP", 0.95);
                writer.WriteNumber("topK", 64);
                writer.WriteNumber("maxTemperature", 2);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        });
        return ChatCompletionsEndpoint.WriteReplyAsync(context, SimulatedReply.Json(StatusCodes.Status200OK, body));
    }
}
