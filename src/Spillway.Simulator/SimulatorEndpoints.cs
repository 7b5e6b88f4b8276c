using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

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
            Dispatch(context, providers, provider => ChatCompletionsEndpoint.HandleAsync(context, provider, runtime))));
        app.MapGet("/{provider}/v1/models", (RequestDelegate)(context =>
            Dispatch(context, providers, provider => ModelsEndpoint.HandleAsync(context, provider, runtime))));
    }

    private static Task Dispatch(
        HttpContext context,
        IReadOnlyDictionary<string, SimulatedProvider> providers,
        Func<SimulatedProvider, Task> handle)
    {
        var name = context.GetRouteValue("provider") as string;
        if (name is not null && providers.TryGetValue(name, out var provider))
        {
            return handle(provider);
        }

        // Not a provider's answer, so it may say plainly what it is.
        var body = JsonBody.ErrorEnvelope(writer =>
        {
            writer.WriteString("message", $"The Spillway simulator serves no provider named '{name}'.");
            writer.WriteString("type", "invalid_request_error");
            writer.WriteNull("param");
            writer.WriteString("code", "unknown_simulated_provider");
        });
        return ChatCompletionsEndpoint.WriteReplyAsync(context, SimulatedReply.Json(StatusCodes.Status404NotFound, body));
    }
}
