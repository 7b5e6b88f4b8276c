using Spillway.Core.Catalog;
using Spillway.Core.Chat;
using Spillway.Core.Codecs.Gemini;
using Spillway.Core.Tokens;
using Spillway.Http;
using Spillway.Security;
using Spillway.Serving;

namespace Spillway.Endpoints;

/// <summary>
/// Gemini's own API, so Google's SDKs and Gemini CLI reach any upstream through aliases:
/// <c>POST /v1beta/models/{model}:generateContent</c>, <c>:streamGenerateContent</c> (answered as server-sent
/// events, what <c>alt=sse</c> asks and every Google client sends), <c>GET /v1beta/models</c> and
/// <c>GET /v1beta/models/{model}</c>, the same under <c>/v1</c> (where a model read gets Gemini's shape when the
/// caller is a Google client: <see cref="IsGeminiCaller"/>). The client key comes as <c>x-goog-api-key</c> or
/// <c>?key=</c>. The body is decoded at the door, so a malformed request is refused in Gemini's error shape before any
/// upstream is called.
/// </summary>
internal static class GeminiEndpoints
{
    // Where the route hands the call it parsed from the path to the door's body reader, so the path is parsed once.
    private static readonly object CallKey = new();

    public static void MapGeminiEndpoints(this IEndpointRouteBuilder app)
    {
        var door = ChatDoor.Route(app.ServiceProvider, GeminiClientFormat.Instance, Read);
        foreach (var prefix in GeminiCall.Prefixes)
        {
            // Catch-all: a route id holds '/' and ':' (openrouter/meta-llama/llama-3.3-70b-instruct:free:generateContent).
            app.MapPost(prefix + "{**call}", context => GeminiCall.Parse(context.Request.Path) switch
            {
                { Method: GeminiMethod.GenerateContent or GeminiMethod.StreamGenerateContent } call => Serve(door, context, call),
                { Method: GeminiMethod.CountTokens } call => CountTokensAsync(context, call),
                { Method: GeminiMethod.Unknown } => UnknownMethodAsync(context),

                // The list or one model (no ":method"): those paths are read with GET.
                _ => ErrorBoundary.MethodNotAllowed(context, "GET"),
            });
        }

        // GET /v1/models is OpenAI's list too: OpenAIEndpoints hands Google clients over to these.
        app.MapGet("/v1beta/models", ModelsAsync);
        app.MapGet("/v1beta/models/{**id}", ModelAsync);
    }

    /// <summary>A Google client (it names itself in <c>x-goog-api-client</c>, or sends its key Google's way).</summary>
    public static bool IsGeminiCaller(HttpRequest request) =>
        request.Headers.ContainsKey("x-goog-api-key") || request.Headers.ContainsKey("x-goog-api-client") || request.Query.ContainsKey("key");

    private static Task Serve(RequestDelegate door, HttpContext context, GeminiCall call)
    {
        context.Items[CallKey] = call;
        return door(context);
    }

    private static ClientRequest Read(ReadOnlyMemory<byte> body, HttpRequest request)
    {
        var call = (GeminiCall)request.HttpContext.Items[CallKey]!;
        var stream = call.Method == GeminiMethod.StreamGenerateContent;
        var decoded = GeminiRequestDecoder.Decode(body.Span, call.Model, stream);
        if (decoded.Error is { } error)
        {
            return ClientRequest.Refused(error);
        }

        if (decoded.Value.Messages.Count == 0)
        {
            // Gemini refuses a request without turns; the decoder, lenient for upstream answers, skips what is not a list.
            return ClientRequest.Refused(ChatError.InvalidRequest("contents must be a non-empty list of turns ({\"role\",\"parts\"}).", "contents"));
        }

        var chat = decoded.Value with { Model = call.Model, Stream = stream };
        return new ClientRequest { Model = call.Model, Stream = stream, Decoded = chat };
    }

    /// <summary>
    /// <c>:countTokens</c>, counted here (the estimate <c>/v1/messages/count_tokens</c> falls back to), whatever the
    /// route: an upstream of another format has no count of a Gemini request. Counting is free and not in the ledger.
    /// </summary>
    private static async Task CountTokensAsync(HttpContext context, GeminiCall call)
    {
        var services = context.RequestServices;
        var config = services.GetRequiredService<ConfigHolder>().Current;
        var format = GeminiClientFormat.Instance;
        if (!ClientGate.TryAdmit(context, config.Auth, out var client, out var denied))
        {
            await ErrorResponses.WriteAsync(context, format, denied!, null);
            return;
        }

        if (ClientModels.Forbidden(client, call.Model, []) is { } forbidden)
        {
            await ErrorResponses.WriteAsync(context, format, forbidden, null);
            return;
        }

        var options = services.GetRequiredService<ServingOptions>();
        using var intake = await RequestIntake.ReadAsync(context.Request, options.MaxRequestBodyBytes, context.RequestAborted);
        if (intake.Error is { } unreadable)
        {
            await ErrorResponses.WriteAsync(context, format, unreadable, null);
            return;
        }

        var decoded = GeminiCountTokens.DecodeRequest(intake.Body.WrittenMemory, call.Model);
        if (decoded.Error is { } invalid)
        {
            await ErrorResponses.WriteAsync(context, format, invalid, null);
            return;
        }

        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(GeminiCountTokens.EncodeResponse(LocalTokenCounter.Count(decoded.Value)), context.RequestAborted);
    }

    private static Task UnknownMethodAsync(HttpContext context)
    {
        var notFound = new ChatError(
            404,
            ChatErrorKind.NotFound,
            $"No such method: POST {context.Request.Path}. Spillway serves models/{{model}}:generateContent and :streamGenerateContent.");
        return ErrorResponses.WriteAsync(context, GeminiClientFormat.Instance, notFound, null);
    }

    public static async Task ModelsAsync(HttpContext context, ConfigHolder configs, IModelCatalog catalog)
    {
        var config = configs.Current;
        if (!ClientGate.TryAdmit(context, config.Auth, out var client, out var denied))
        {
            await ErrorResponses.WriteAsync(context, GeminiClientFormat.Instance, denied!, null);
            return;
        }

        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(ModelList.WriteGemini(config, catalog, client), context.RequestAborted);
    }

    public static async Task ModelAsync(HttpContext context, ConfigHolder configs, IModelCatalog catalog, string id)
    {
        var config = configs.Current;
        if (!ClientGate.TryAdmit(context, config.Auth, out var client, out var denied))
        {
            await ErrorResponses.WriteAsync(context, GeminiClientFormat.Instance, denied!, null);
            return;
        }

        var name = GeminiCall.Unescape(id);
        if (ModelList.WriteOneGemini(config, catalog, client, name) is not { } body)
        {
            var notFound = new ChatError(404, ChatErrorKind.NotFound, $"models/{name} is not found; GET /v1beta/models lists the models you can use.");
            await ErrorResponses.WriteAsync(context, GeminiClientFormat.Instance, notFound, null);
            return;
        }

        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(body, context.RequestAborted);
    }
}
