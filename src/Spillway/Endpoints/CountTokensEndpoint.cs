using Spillway.Core.Chat;
using Spillway.Core.Codecs.Anthropic;
using Spillway.Core.Counting;
using Spillway.Core.Engine;
using Spillway.Core.Planning;
using Spillway.Http;
using Spillway.Security;
using Spillway.Serving;

namespace Spillway.Endpoints;

/// <summary>
/// Anthropic's <c>POST /v1/messages/count_tokens</c>: the Messages body without <c>max_tokens</c>, answered with
/// <c>{"input_tokens": N}</c> as counted by the route's upstream or, failing that, here (<see cref="TokenCounting"/>).
/// Errors come in Anthropic's shape. Counting costs nothing, so it is not written to the request ledger.
/// </summary>
internal static class CountTokensEndpoint
{
    public static void MapCountTokensEndpoint(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/messages/count_tokens", ServeAsync);
    }

    private static async Task ServeAsync(
        HttpContext context, ConfigHolder configs, RoutePlanner planner, TokenCounting counting, ServingOptions options, TimeProvider time)
    {
        var format = AnthropicClientFormat.Instance;
        var config = configs.Current;
        var requestId = RequestIds.New(time);
        if (!ClientGate.TryAdmit(context, config.Auth, out var client, out var denied))
        {
            await ErrorResponses.WriteAsync(context, format, denied!, requestId);
            return;
        }

        using var intake = await RequestIntake.ReadAsync(context.Request, options.MaxRequestBodyBytes, context.RequestAborted);
        if (intake.Error is { } unreadable)
        {
            await ErrorResponses.WriteAsync(context, format, unreadable, requestId);
            return;
        }

        var body = intake.Body;

        var beta = HeaderValues.OrNull(context.Request, "anthropic-beta");
        var decoded = AnthropicRequestDecoder.DecodeCountTokens(body.WrittenMemory, beta);
        if (decoded.Error is { } invalid)
        {
            await ErrorResponses.WriteAsync(context, format, invalid, requestId);
            return;
        }

        if (ClientModels.Forbidden(client, decoded.Value.Model, []) is { } forbidden)
        {
            await ErrorResponses.WriteAsync(context, format, forbidden, requestId);
            return;
        }

        // Counting generates nothing, so the request needs no capability of the route: only its order matters.
        var request = new PlanRequest(decoded.Value.Model, [], ClientPolicy.Of(context.Request, client), RequestNeeds.None);
        var plan = planner.Plan(config, request, out var unknown);
        if (plan is null)
        {
            var notFound = new ChatError(404, ChatErrorKind.NotFound, unknown!) { Code = "model_not_found", Param = "model" };
            await ErrorResponses.WriteAsync(context, format, notFound, requestId);
            return;
        }

        var result = await counting.CountAsync(
            new TokenCountRequest
            {
                Body = body.WrittenMemory,
                Decoded = decoded.Value,
                Plan = plan,
                Timeouts = config.Timeouts,
                AnthropicVersion = HeaderValues.OrNull(context.Request, "anthropic-version"),
                AnthropicBeta = beta,
            },
            context.RequestAborted);

        var response = context.Response;
        response.Headers[SpillwayHeaders.RequestId] = requestId;
        response.Headers[SpillwayHeaders.Attempts] = result.UpstreamCalls.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (result.Route is { } route)
        {
            response.Headers[SpillwayHeaders.Route] = HeaderValues.Safe(route);
        }

        if (result.Tried.Count > 0)
        {
            response.Headers[SpillwayHeaders.Tried] = HeaderValues.Safe(string.Join(',', result.Tried.Distinct(StringComparer.Ordinal)));
        }

        response.StatusCode = result.Status;
        response.ContentType = "application/json";
        await response.Body.WriteAsync(result.Body, context.RequestAborted);
    }
}
