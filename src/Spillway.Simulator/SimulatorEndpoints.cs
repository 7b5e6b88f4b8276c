namespace Spillway.Simulator;

/// <summary>Maps the simulator's routes and marks every answer as coming from the simulator.</summary>
internal static class SimulatorEndpoints
{
    public static void Map(WebApplication app, IReadOnlyDictionary<string, SimulatedProvider> providers, SimulatorRuntime runtime)
    {
        app.Use((context, next) =>
        {
            context.Response.Headers[ProviderSimulator.MarkerHeader] = ProviderSimulator.MarkerValue;
            return next(context);
        });

        app.MapPost("/{provider}/v1/chat/completions", (RequestDelegate)(context =>
            Dispatch(context, providers, WireFormat.OpenAIChat, provider => ChatCompletionsEndpoint.HandleAsync(context, provider, runtime))));
        app.MapPost("/{provider}/v1/embeddings", (RequestDelegate)(context =>
            Dispatch(context, providers, WireFormat.OpenAIChat, provider => EmbeddingsEndpoint.HandleOpenAIAsync(context, provider, runtime))));
        app.MapGet("/{provider}/v1/models", (RequestDelegate)(context =>
            Dispatch(context, providers, WireFormat.OpenAIChat, provider => ModelsEndpoint.HandleAsync(context, provider, runtime))));
        app.MapPost("/{provider}/v1/responses", (RequestDelegate)(context =>
            Dispatch(context, providers, WireFormat.OpenAIResponses, provider => ResponsesEndpoint.HandleAsync(context, provider, runtime))));
        app.MapPost("/{provider}/v1/messages", (RequestDelegate)(context =>
            Dispatch(context, providers, WireFormat.AnthropicMessages, provider => MessagesEndpoint.HandleAsync(context, provider, runtime))));
        app.MapPost("/{provider}/v1/messages/count_tokens", (RequestDelegate)(context =>
            Dispatch(context, providers, WireFormat.AnthropicMessages, provider => AnthropicCountTokensEndpoint.HandleAsync(context, provider, runtime))));
        app.MapPost("/{provider}/v1beta/models/{**target}", (RequestDelegate)(context =>
            Dispatch(context, providers, WireFormat.GeminiNative, provider => GeminiEndpoint.HandleAsync(context, provider, runtime))));
        app.MapGet("/{provider}/v1beta/models", (RequestDelegate)(context =>
            Dispatch(context, providers, WireFormat.GeminiNative, provider => GeminiModelsEndpoint.HandleAsync(context, provider, runtime))));
    }

    /// <summary>The wire format a style speaks.</summary>
    public static WireFormat FormatOf(SimulatorStyle style) => style switch
    {
        SimulatorStyle.Anthropic => WireFormat.AnthropicMessages,
        SimulatorStyle.GeminiNative => WireFormat.GeminiNative,
        SimulatorStyle.OpenAIResponses => WireFormat.OpenAIResponses,
        _ => WireFormat.OpenAIChat,
    };

    private static Task Dispatch(
        HttpContext context,
        IReadOnlyDictionary<string, SimulatedProvider> providers,
        WireFormat format,
        Func<SimulatedProvider, Task> handle)
    {
        var name = context.GetRouteValue("provider") as string;

        // A provider answers only the routes of its own format: a real vendor has no other vendor's endpoints.
        if (name is not null && providers.TryGetValue(name, out var provider) && FormatOf(provider.Style) == format)
        {
            return handle(provider);
        }

        // Not a provider's answer, so it may say plainly what it is.
        var body = JsonBody.ErrorEnvelope(writer =>
        {
            writer.WriteString("message", $"The Spillway simulator serves no provider named '{name}' at {context.Request.Path}.");
            writer.WriteString("type", "invalid_request_error");
            writer.WriteNull("param");
            writer.WriteString("code", "unknown_simulated_provider");
        });
        return ChatCompletionsEndpoint.WriteReplyAsync(context, SimulatedReply.Json(StatusCodes.Status404NotFound, body));
    }
}
