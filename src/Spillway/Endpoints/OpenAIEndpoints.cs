using Spillway.Core.Chat;
using Spillway.Core.Catalog;
using Spillway.Core.Codecs;
using Spillway.Core.Configuration;
using Spillway.Core.Codecs.OpenAI;
using Spillway.Http;
using Spillway.Security;
using Spillway.Serving;

namespace Spillway.Endpoints;

/// <summary>The OpenAI-compatible client API: <c>POST /v1/chat/completions</c>, <c>GET /v1/models</c> and <c>GET /v1/models/{id}</c>
/// (Gemini's shape for Google's clients, which use the same paths).</summary>
internal static class OpenAIEndpoints
{
    public static void MapOpenAIEndpoints(this IEndpointRouteBuilder app)
    {
        // A plain RequestDelegate: the hot path skips the minimal-API binding layer.
        app.MapPost("/v1/chat/completions", ChatDoor.Route(app.ServiceProvider, OpenAIClientFormat.Instance, Read));
        app.MapGet("/v1/models", ModelsAsync);

        // Catch-all: a route id holds '/' (openrouter/meta-llama/llama-3.3-70b-instruct:free).
        app.MapGet("/v1/models/{**id}", ModelAsync);
    }

    /// <summary>One pass over the body reads what routing needs; the body itself is never deserialized here.</summary>
    private static ClientRequest Read(ReadOnlyMemory<byte> body, HttpRequest request)
    {
        var sniff = OpenAIRequestSniffer.Sniff(body.Span);
        if (sniff.Failure is { } failure)
        {
            return ClientRequest.Refused(ChatError.InvalidRequest(failure.Message, failure.Param));
        }

        return new ClientRequest
        {
            Model = sniff.Model,
            Models = sniff.Models,
            Stream = sniff.Stream,
            WantsUsage = sniff.IncludeUsage == true,
            Sniff = sniff,
        };
    }

    /// <summary>OpenAI's list shape, or Anthropic's when the caller sends <c>anthropic-version</c> (the Anthropic SDK does).</summary>
    private static async Task ModelsAsync(HttpContext context, ConfigHolder configs, IModelCatalog catalog)
    {
        if (GeminiEndpoints.IsGeminiCaller(context.Request))
        {
            await GeminiEndpoints.ModelsAsync(context, configs, catalog);
            return;
        }

        var config = configs.Current;
        if (await AdmitModelReaderAsync(context, config) is not var (anthropic, format, client))
        {
            return;
        }

        context.Response.ContentType = "application/json";
        var body = anthropic ? ModelList.WriteAnthropic(config, catalog, client) : ModelList.Write(config, catalog, client);
        await context.Response.Body.WriteAsync(body, context.RequestAborted);
    }

    /// <summary>
    /// One entry of the list (what the caller's list shows, so a client key limited by <c>models:</c> sees only its
    /// allowance) in OpenAI's model shape or Anthropic's; anything else is a 404 as for an unknown model.
    /// </summary>
    private static async Task ModelAsync(HttpContext context, ConfigHolder configs, IModelCatalog catalog, string id)
    {
        if (GeminiEndpoints.IsGeminiCaller(context.Request))
        {
            await GeminiEndpoints.ModelAsync(context, configs, catalog, id);
            return;
        }

        var config = configs.Current;
        if (await AdmitModelReaderAsync(context, config) is not var (anthropic, format, client))
        {
            return;
        }

        // Kestrel decodes the path but leaves %2F as is, which SDKs send for the '/' in a route id.
        var name = id.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);
        var body = anthropic ? ModelList.WriteOneAnthropic(config, catalog, client, name) : ModelList.WriteOne(config, catalog, client, name);
        if (body is null)
        {
            var notFound = new ChatError(404, ChatErrorKind.NotFound, $"The model '{name}' does not exist; GET /v1/models lists the models you can use.")
            {
                Code = "model_not_found",
                Param = "model",
            };
            await ErrorResponses.WriteAsync(context, format, notFound, null);
            return;
        }

        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(body, context.RequestAborted);
    }

    /// <summary>
    /// Admits the caller of a model read, which gets Anthropic's shape when it sends <c>anthropic-version</c> (the
    /// Anthropic SDK does) and OpenAI's otherwise; null once a refusal was written in that shape.
    /// </summary>
    private static async Task<(bool Anthropic, IClientFormat Format, ClientKeyConfig? Client)?> AdmitModelReaderAsync(
        HttpContext context, SpillwayConfig config)
    {
        var anthropic = context.Request.Headers.ContainsKey("anthropic-version");
        IClientFormat format = anthropic ? Core.Codecs.Anthropic.AnthropicClientFormat.Instance : OpenAIClientFormat.Instance;
        if (ClientGate.TryAdmit(context, config.Auth, out var client, out var denied))
        {
            return (anthropic, format, client);
        }

        await ErrorResponses.WriteAsync(context, format, denied!, null);
        return null;
    }
}
