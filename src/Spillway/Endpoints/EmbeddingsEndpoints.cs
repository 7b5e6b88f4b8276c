using Spillway.Core.Chat;
using Spillway.Core.Codecs;
using Spillway.Core.Codecs.OpenAI;
using Spillway.Core.Configuration;
using Spillway.Core.Embeddings;
using Spillway.Core.Ledger;
using Spillway.Core.Planning;
using Spillway.Http;
using Spillway.Security;
using Spillway.Serving;

namespace Spillway.Endpoints;

/// <summary>
/// <c>POST /v1/embeddings</c> (OpenAI's shape): the caller is admitted as at the chat door (client key, its rate
/// limit and model allowance, the bounded body), the body is sniffed for what routing needs, the alias or route is
/// planned and <see cref="EmbeddingsEngine"/> walks it. Only an embedding model is served here: a chat alias or a
/// known chat model gets a 400 that says so. A request refused here is answered in OpenAI's error shape and recorded
/// in the ledger.
/// </summary>
internal sealed class EmbeddingsEndpoints(
    ConfigHolder configs,
    RoutePlanner planner,
    EmbeddingsEngine engine,
    ILedgerSink ledger,
    IClientRateLimits rateLimits,
    ServingOptions options,
    TimeProvider time)
{
    public static void Map(IEndpointRouteBuilder app)
    {
        // A plain RequestDelegate on a singleton taken once, as the chat doors do (no DI scope per request).
        EmbeddingsEndpoints? door = null;
        var services = app.ServiceProvider;
        app.MapPost("/v1/embeddings", context => (door ??= services.GetRequiredService<EmbeddingsEndpoints>()).ServeAsync(context));
    }

    public async Task ServeAsync(HttpContext context)
    {
        var config = configs.Current;
        var requestId = RequestIds.New(time);
        var receivedAt = time.GetUtcNow();
        var receivedTimestamp = time.GetTimestamp();
        IClientFormat format = OpenAIClientFormat.Instance;
        if (!ClientGate.TryAdmit(context, config.Auth, out var client, out var denied))
        {
            await ErrorResponses.WriteAsync(context, format, denied!, requestId);
            return;
        }

        Task RejectAsync(ChatError error, string model, TimeSpan? retryAfter = null) =>
            RefuseAsync(context, requestId, receivedAt, receivedTimestamp, client?.Id, error, model, retryAfter);

        if (client is { RequestsPerMinute: not null } &&
            await rateLimits.TryAcquireAsync(client, context.RequestAborted) is (false, var retryAfter))
        {
            var limited = new ChatError(429, ChatErrorKind.RateLimited, $"Client '{client.Id}' is over its limit of {client.RequestsPerMinute} requests per minute.")
            {
                Code = "client_rate_limited",
            };
            await RejectAsync(limited, "?", retryAfter);
            return;
        }

        using var intake = await RequestIntake.ReadAsync(context.Request, options.MaxRequestBodyBytes, context.RequestAborted);
        if (intake.Error is { } unreadable)
        {
            await RejectAsync(unreadable, "?");
            return;
        }

        var body = intake.Body.WrittenMemory;
        var sniffed = OpenAIEmbeddingsSniffer.Sniff(body);
        if (sniffed.Error is { } invalid)
        {
            await RejectAsync(invalid, "?");
            return;
        }

        var request = sniffed.Value;
        if (ClientModels.Forbidden(client, request.Model, []) is { } forbidden)
        {
            await RejectAsync(forbidden, request.Model);
            return;
        }

        if (NotAnEmbeddingModel(config, request.Model) is { } chat)
        {
            await RejectAsync(chat, request.Model);
            return;
        }

        var needs = new RequestNeeds(false, false, false, body.Length / RequestNeeds.BytesPerToken, null);
        var plan = planner.Plan(config, new PlanRequest(request.Model, [], ClientPolicy.Of(context.Request, client), needs), out var unknown);
        if (plan is null)
        {
            await RejectAsync(new ChatError(404, ChatErrorKind.NotFound, unknown!) { Code = "model_not_found", Param = "model" }, request.Model);
            return;
        }

        var call = new EmbeddingsCall
        {
            RequestId = requestId,
            Request = request,
            RequestedModel = request.Model,
            Plan = plan,
            Timeouts = config.Timeouts,
            ClientId = client?.Id,
            Budget = client is { HasBudget: true } ? new Core.Budgets.ClientBudget(client.Id, client.BudgetUsdPerDay, client.BudgetUsdPerMonth) : null,
            ReceivedAt = receivedAt,
            ReceivedTimestamp = receivedTimestamp,
        };
        await engine.ExecuteAsync(call, new HttpClientResponse(context.Response), context.RequestAborted);
    }

    /// <summary>
    /// The 400 for a name that is known to stand for chat: an alias of chat models, or a route to a model its provider
    /// lists as a chat model. A route to a model the config does not describe is let through (the host decides), so
    /// an embedding model nobody declared still works.
    /// </summary>
    internal static ChatError? NotAnEmbeddingModel(SpillwayConfig config, string name)
    {
        if (config.EmbeddingModelOf(name) is not null)
        {
            return null;
        }

        string? what = null;
        if (config.FindAlias(name) is not null)
        {
            what = $"'{name}' is an alias of chat models";
        }
        else if (name.IndexOf('/', StringComparison.Ordinal) is > 0 and var slash &&
                 config.FindProvider(name[..slash]) is { } provider && provider.Models.Contains(name[(slash + 1)..], StringComparer.Ordinal))
        {
            what = $"'{name}' is a chat model";
        }

        return what is null
            ? null
            : new ChatError(400, ChatErrorKind.InvalidRequest,
                $"{what}, not an embedding model: POST /v1/embeddings takes an alias or route of an embedding model (GET /v1/models lists them; zero-config names one 'free-embeddings').")
            {
                Code = "not_an_embedding_model",
                Param = "model",
            };
    }

    private async Task RefuseAsync(
        HttpContext context, string requestId, DateTimeOffset receivedAt, long receivedTimestamp, string? clientId, ChatError error, string model, TimeSpan? retryAfter)
    {
        await ErrorResponses.WriteAsync(context, OpenAIClientFormat.Instance, error, requestId, retryAfter);
        ledger.Enqueue(new LedgerEntry
        {
            Id = requestId,
            Time = receivedAt,
            ClientFormat = EmbeddingsCall.ClientFormat,
            Model = model,
            Status = error.Status,
            Stream = false,
            LatencyMs = time.GetElapsedTime(receivedTimestamp).TotalMilliseconds,
            Error = error.Message,
            ClientId = clientId,
        });
    }
}
