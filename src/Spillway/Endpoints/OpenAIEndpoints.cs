using Spillway.Core.Codecs.OpenAI;
using Spillway.Core.Configuration;
using Spillway.Core.Ledger;
using Spillway.Core.Routing;
using Spillway.Hosting;
using Spillway.Http;
using Spillway.Security;

namespace Spillway.Endpoints;

/// <summary>The OpenAI-compatible client API: <c>POST /v1/chat/completions</c> and <c>GET /v1/models</c>.</summary>
internal static class OpenAIEndpoints
{
    public static void MapOpenAIEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/chat/completions", ChatCompletionsAsync);
        app.MapGet("/v1/models", ModelsAsync);
    }

    private static async Task ChatCompletionsAsync(
        HttpContext context,
        ConfigHolder configs,
        FallbackEngine engine,
        ILedgerSink ledger,
        SpillwayAppOptions options,
        TimeProvider time)
    {
        var format = OpenAIClientFormat.Instance;
        var config = configs.Current;
        var requestId = RequestIds.New(time);
        var receivedAt = time.GetUtcNow();
        var receivedTimestamp = time.GetTimestamp();
        if (!ClientGate.TryAdmit(context, config.Auth, out var client, out var denied))
        {
            await ErrorResponses.WriteAsync(context, format, denied!, requestId);
            return;
        }

        using var body = await RequestBodyReader.ReadAsync(context.Request, options.MaxRequestBodyBytes, context.RequestAborted);
        if (body is null)
        {
            var tooLarge = new ClientError(413, $"The request body is larger than {options.MaxRequestBodyBytes} bytes.", "invalid_request_error", "request_too_large");
            await RejectAsync(context, format, tooLarge, requestId, "?", ledger, receivedAt, time, receivedTimestamp, client);
            return;
        }

        var sniff = OpenAIRequestSniffer.Sniff(body.WrittenSpan);
        if (sniff.Failure is { } failure)
        {
            var invalid = ClientError.InvalidRequest(failure.Message, failure.Param);
            await RejectAsync(context, format, invalid, requestId, "?", ledger, receivedAt, time, receivedTimestamp, client);
            return;
        }

        var requested = sniff.Model ?? sniff.Models.FirstOrDefault() ?? "?";
        var policy = PolicyOf(context.Request, client);
        var plan = RoutePlanner.Plan(config, sniff.Model, sniff.Models, policy, out var unknown);
        if (plan is null)
        {
            var notFound = new ClientError(404, unknown!, "invalid_request_error", "model_not_found", "model");
            await RejectAsync(context, format, notFound, requestId, requested, ledger, receivedAt, time, receivedTimestamp, client);
            return;
        }

        var call = new ChatCall
        {
            RequestId = requestId,
            Client = format,
            Body = body.WrittenMemory,
            Sniff = sniff,
            RequestedModel = requested,
            Plan = plan,
            Timeouts = config.Timeouts,
            ClientId = client?.Id,
            ReceivedAt = receivedAt,
            ReceivedTimestamp = receivedTimestamp,
        };
        await engine.ExecuteAsync(call, new HttpClientResponse(context.Response), context.RequestAborted);
    }

    private static RequestPolicy PolicyOf(HttpRequest request, ClientKeyConfig? client)
    {
        var freeOnly = client is { AllowPaid: false } ||
                       string.Equals(request.Headers[SpillwayHeaders.MaxTier], "free", StringComparison.OrdinalIgnoreCase);
        var noTrain = string.Equals(request.Headers[SpillwayHeaders.DataPolicy], "no-train", StringComparison.OrdinalIgnoreCase);
        return freeOnly || noTrain ? new RequestPolicy(freeOnly, noTrain) : RequestPolicy.Default;
    }

    /// <summary>A request refused at the door is answered and still recorded, so the ledger shows every request.</summary>
    private static async Task RejectAsync(
        HttpContext context,
        IClientFormat format,
        ClientError error,
        string requestId,
        string model,
        ILedgerSink ledger,
        DateTimeOffset receivedAt,
        TimeProvider time,
        long receivedTimestamp,
        ClientKeyConfig? client)
    {
        await ErrorResponses.WriteAsync(context, format, error, requestId);
        ledger.Enqueue(new LedgerEntry
        {
            Id = requestId,
            Time = receivedAt,
            ClientFormat = format.Name,
            Model = model,
            Status = error.Status,
            Stream = false,
            LatencyMs = time.GetElapsedTime(receivedTimestamp).TotalMilliseconds,
            Error = error.Message,
            ClientId = client?.Id,
        });
    }

    private static async Task ModelsAsync(HttpContext context, ConfigHolder configs)
    {
        var config = configs.Current;
        if (!ClientGate.TryAdmit(context, config.Auth, out _, out var denied))
        {
            await ErrorResponses.WriteAsync(context, OpenAIClientFormat.Instance, denied!, null);
            return;
        }

        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(ModelList.Write(config), context.RequestAborted);
    }
}
