namespace Spillway.Simulator;

/// <summary>
/// <c>POST /{provider}/v1/messages</c> (also with <c>?beta=true</c>, as the SDKs' beta clients call it) for the
/// <see cref="SimulatorStyle.Anthropic"/> style: the key in <c>x-api-key</c> (or <c>Authorization: Bearer</c>
/// for OAuth tokens), <c>anthropic-version</c> required, then the shared <see cref="CallFlow"/>. Every answer
/// carries a <c>request-id</c> header like the real API's.
/// </summary>
internal static class MessagesEndpoint
{
    public static async Task HandleAsync(HttpContext context, SimulatedProvider provider, SimulatorRuntime runtime)
    {
        var body = await CallFlow.ReadBodyAsync(context.Request, context.RequestAborted);
        var request = AnthropicRequestParser.Parse(body);
        var missingVersion = string.IsNullOrWhiteSpace(context.Request.Headers["anthropic-version"].ToString())
            ? ErrorKind.MissingApiVersion
            : (ErrorKind?)null;
        var call = new IncomingCall(ApiKey(context.Request), body, request, missingVersion);
        await CallFlow.RunAsync(context, provider, runtime, call, (reply, headers, fault, settings) =>
        {
            List<KeyValuePair<string, string>> withId = [.. headers, new("request-id", AnthropicErrors.NewRequestId())];
            return request.Stream
                ? StreamResponder.WriteAsync(context, AnthropicMessageWriter.Plan(reply), withId, fault, settings.StreamEventDelay, runtime)
                : CompletionResponder.WriteAsync(context, AnthropicMessageWriter.Message(reply), withId, fault);
        });
    }

    /// <summary><c>x-api-key</c> first (API keys), then a Bearer token (OAuth); null when neither is sent.</summary>
    public static string? ApiKey(HttpRequest request)
    {
        var key = request.Headers["x-api-key"].ToString().Trim();
        return key.Length > 0 ? key : ChatCompletionsEndpoint.BearerKey(request);
    }
}
