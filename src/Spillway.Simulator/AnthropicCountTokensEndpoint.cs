namespace Spillway.Simulator;

/// <summary>
/// <c>POST /{provider}/v1/messages/count_tokens</c> for the <see cref="SimulatorStyle.Anthropic"/> style: the Messages
/// body without <c>max_tokens</c>, checked like <see cref="MessagesEndpoint"/> (key, <c>anthropic-version</c>, body,
/// known model), answered <c>{"input_tokens": N}</c> with N the <c>input_tokens</c> a Messages call with the same
/// body reports. The call is recorded and takes scripted faults, but uses none of the free quota.
/// </summary>
internal static class AnthropicCountTokensEndpoint
{
    public static async Task HandleAsync(HttpContext context, SimulatedProvider provider, SimulatorRuntime runtime)
    {
        var body = await CallFlow.ReadBodyAsync(context.Request, context.RequestAborted);
        var request = AnthropicRequestParser.Parse(body, requireMaxTokens: false) with { Stream = false };
        var missingVersion = string.IsNullOrWhiteSpace(context.Request.Headers["anthropic-version"].ToString())
            ? ErrorKind.MissingApiVersion
            : (ErrorKind?)null;
        var call = new IncomingCall(MessagesEndpoint.ApiKey(context.Request), body, request, missingVersion);
        await CallFlow.RunAsync(
            context,
            provider,
            runtime,
            call,
            (reply, _, fault, _) =>
            {
                var answer = JsonBody.Write(writer =>
                {
                    writer.WriteStartObject();
                    writer.WriteNumber("input_tokens", reply.PromptTokens);
                    writer.WriteEndObject();
                });
                return CompletionResponder.WriteAsync(context, answer, [new("request-id", AnthropicErrors.NewRequestId())], fault);
            },
            metered: false);
    }
}
