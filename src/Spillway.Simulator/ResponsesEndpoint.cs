namespace Spillway.Simulator;

/// <summary>
/// <c>POST /{provider}/v1/responses</c> for the <see cref="SimulatorStyle.OpenAIResponses"/> style: Bearer key,
/// a Responses body, then the shared <see cref="CallFlow"/>; the answer is a <c>response</c> object or the
/// <c>response.*</c> event stream. Errors are OpenAI's.
/// </summary>
internal static class ResponsesEndpoint
{
    public static async Task HandleAsync(HttpContext context, SimulatedProvider provider, SimulatorRuntime runtime)
    {
        var body = await CallFlow.ReadBodyAsync(context.Request, context.RequestAborted);
        var request = ResponsesRequestParser.Parse(body);
        await CallFlow.RunAsync(context, provider, runtime, new IncomingCall(ChatCompletionsEndpoint.BearerKey(context.Request), body, request), (reply, headers, fault, settings) =>
            request.Stream
                ? StreamResponder.WriteAsync(context, ResponsesWriter.Plan(reply), headers, fault, settings.StreamEventDelay, runtime)
                : CompletionResponder.WriteAsync(context, ResponsesWriter.Response(reply, ResponsesWriter.Completed), headers, fault));
    }
}
