using Spillway.Core.Chat;
using Spillway.Core.Budgets;
using Spillway.Core.Codecs;
using Spillway.Core.Codecs.Responses;
using Spillway.Core.Engine;
using Spillway.Core.Ledger;
using Spillway.Core.Planning;
using Spillway.Http;
using Spillway.Security;
using Spillway.Serving;

namespace Spillway.Endpoints;

/// <summary>
/// The way in for every chat request, whatever API the client speaks: admit the caller, read the body within its
/// limit, let the client's format read what routing needs, plan the route and hand over to the engine. A request
/// refused here is answered in the client's format and still recorded in the ledger.
/// </summary>
internal sealed class ChatDoor(
    ConfigHolder configs,
    RoutePlanner planner,
    FallbackEngine engine,
    ILedgerSink ledger,
    IClientRateLimits rateLimits,
    ServingOptions options,
    StoredResponses storedResponses,
    TimeProvider time)
{
    /// <summary>
    /// The request delegate of a chat route. The door is a singleton taken from the app's root services on first use:
    /// reaching it through the request's services would open (and dispose) a DI scope on every request.
    /// </summary>
    public static RequestDelegate Route(
        IServiceProvider services, IClientFormat format, Func<ReadOnlyMemory<byte>, HttpRequest, ClientRequest> read)
    {
        ChatDoor? door = null;
        return context => (door ??= services.GetRequiredService<ChatDoor>()).ServeAsync(context, format, read);
    }

    public async Task ServeAsync(HttpContext context, IClientFormat format, Func<ReadOnlyMemory<byte>, HttpRequest, ClientRequest> read)
    {
        var config = configs.Current;
        var requestId = RequestIds.New(time);
        var receivedAt = time.GetUtcNow();
        var receivedTimestamp = time.GetTimestamp();
        if (!ClientGate.TryAdmit(context, config.Auth, out var client, out var denied))
        {
            await ErrorResponses.WriteAsync(context, format, denied!, requestId);
            return;
        }

        // Built only when the request is refused.
        Refusal Refusal() => new(context, format, requestId, receivedAt, receivedTimestamp, client?.Id);

        if (client is { RequestsPerMinute: not null } &&
            await rateLimits.TryAcquireAsync(client, context.RequestAborted) is (false, var retryAfter))
        {
            var limited = new ChatError(
                429,
                ChatErrorKind.RateLimited,
                $"Client '{client.Id}' is over its limit of {client.RequestsPerMinute} requests per minute.")
            {
                Code = "client_rate_limited",
            };
            await RejectAsync(Refusal(), limited, "?", retryAfter);
            return;
        }

        using var intake = await RequestIntake.ReadAsync(context.Request, options.MaxRequestBodyBytes, context.RequestAborted);
        if (intake.Error is { } unreadable)
        {
            await RejectAsync(Refusal(), unreadable, "?");
            return;
        }

        var body = intake.Body;

        var request = read(body.WrittenMemory, context.Request);
        if (request is { Error: null, Turn.PreviousResponseId: not null })
        {
            // A Responses follow-up: the conversation it continues is the client's own, so it is found only now.
            request = await storedResponses.ResolveAsync(request, body.WrittenMemory, client?.Id, context.RequestAborted);
        }

        if (request.Error is { } invalid)
        {
            await RejectAsync(Refusal(), invalid, request.Model ?? "?");
            return;
        }

        var requested = request.Model ?? request.Models.FirstOrDefault() ?? "?";
        if (ClientModels.Forbidden(client, request.Model, request.Models) is { } forbidden)
        {
            await RejectAsync(Refusal(), forbidden, requested);
            return;
        }

        if (EmbeddingModelNamed(config, request.Model, request.Models) is { } embedding)
        {
            await RejectAsync(Refusal(), embedding, requested);
            return;
        }

        var policy = ClientPolicy.Of(context.Request, client);
        var needs = request.NeedsOf(body.WrittenMemory.Length + (request.Turn?.History.Length ?? 0));
        var plan = planner.Plan(config, new PlanRequest(request.Model, request.Models, policy, needs), out var unknown);
        if (plan is null)
        {
            var notFound = new ChatError(404, ChatErrorKind.NotFound, unknown!) { Code = "model_not_found", Param = "model" };
            await RejectAsync(Refusal(), notFound, requested);
            return;
        }

        var call = new ChatCall
        {
            RequestId = requestId,
            Inbound = new InboundRequest
            {
                Client = format,
                Body = request.PassThroughBody ?? body.WrittenMemory,
                Sniff = request.Sniff,
                Decoded = request.Decoded,
                Stream = request.Stream,
                ClientWantsUsage = request.WantsUsage,
                AnthropicVersion = HeaderValues.OrNull(context.Request, "anthropic-version"),
                AnthropicBeta = HeaderValues.OrNull(context.Request, "anthropic-beta"),
                ReceivedAt = receivedAt,
            },
            RequestedModel = requested,
            Plan = plan,
            Timeouts = config.Timeouts,
            ClientId = client?.Id,
            Budget = client is { HasBudget: true } ? new ClientBudget(client.Id, client.BudgetUsdPerDay, client.BudgetUsdPerMonth) : null,
            ReceivedTimestamp = receivedTimestamp,
        };
        IClientResponse response = new HttpClientResponse(context.Response);
        if (request.Turn is not { Store: true } kept)
        {
            await engine.ExecuteAsync(call, response, context.RequestAborted);
            return;
        }

        using var capture = storedResponses.Capture(response, kept, body.WrittenMemory, client?.Id);
        await engine.ExecuteAsync(call, capture, context.RequestAborted);
    }

    /// <summary>The 400 for a chat request that names an embedding model (its alias or route): it makes no text.</summary>
    private static ChatError? EmbeddingModelNamed(Core.Configuration.SpillwayConfig config, string? model, IReadOnlyList<string> models)
    {
        if (model is not null && EmbeddingModelNamed(config, model) is { } first)
        {
            return first;
        }

        foreach (var name in models)
        {
            if (EmbeddingModelNamed(config, name) is { } other)
            {
                return other;
            }
        }

        return null;
    }

    private static ChatError? EmbeddingModelNamed(Core.Configuration.SpillwayConfig config, string name) =>
        config.EmbeddingModelOf(name) is { } embedding
            ? new ChatError(
                400,
                ChatErrorKind.InvalidRequest,
                $"'{name}' is the embedding model '{embedding}', which makes vectors, not text: send it to POST /v1/embeddings.")
            {
                Code = "embedding_model",
                Param = "model",
            }
            : null;

    private async Task RejectAsync(Refusal refusal, ChatError error, string model, TimeSpan? retryAfter = null)
    {
        await ErrorResponses.WriteAsync(refusal.Context, refusal.Format, error, refusal.RequestId, retryAfter);
        ledger.Enqueue(new LedgerEntry
        {
            Id = refusal.RequestId,
            Time = refusal.ReceivedAt,
            ClientFormat = refusal.Format.Name,
            Model = model,
            Status = error.Status,
            Stream = false,
            LatencyMs = time.GetElapsedTime(refusal.ReceivedTimestamp).TotalMilliseconds,
            Error = error.Message,
            ClientId = refusal.ClientId,
        });
    }

    private sealed record Refusal(
        HttpContext Context, IClientFormat Format, string RequestId, DateTimeOffset ReceivedAt, long ReceivedTimestamp, string? ClientId);
}
