namespace Spillway.Simulator;

/// <summary>
/// <c>POST /{provider}/v1/chat/completions</c> for the OpenAI-format styles: Bearer key, OpenAI body, then the
/// shared <see cref="CallFlow"/>; the answer is a <c>chat.completion</c> or a <c>chat.completion.chunk</c> stream.
/// </summary>
internal static class ChatCompletionsEndpoint
{
    public static async Task HandleAsync(HttpContext context, SimulatedProvider provider, SimulatorRuntime runtime)
    {
        var body = await CallFlow.ReadBodyAsync(context.Request, context.RequestAborted);
        var request = ChatRequestParser.Parse(body);
        await CallFlow.RunAsync(context, provider, runtime, new IncomingCall(BearerKey(context.Request), body, request), (reply, headers, fault, settings) =>
            request.Stream
                ? StreamResponder.WriteAsync(context, ChatStreamWriter.Plan(reply), headers, fault, settings.StreamEventDelay, runtime)
                : CompletionResponder.WriteAsync(context, ChatCompletionWriter.Write(reply), headers, fault));
    }

    /// <summary>Writes a complete JSON answer.</summary>
    public static async Task WriteReplyAsync(HttpContext context, SimulatedReply reply)
    {
        var response = context.Response;
        response.StatusCode = reply.Status;
        response.ContentType = "application/json";
        foreach (var (name, value) in reply.Headers)
        {
            response.Headers[name] = value;
        }

        response.ContentLength = reply.Body.Length;
        await response.Body.WriteAsync(reply.Body, context.RequestAborted);
    }

    /// <summary>The Bearer key, or null when there is none (or it is empty).</summary>
    public static string? BearerKey(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string Scheme = "Bearer ";
        if (!header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var key = header[Scheme.Length..].Trim();
        return key.Length == 0 ? null : key;
    }
}
