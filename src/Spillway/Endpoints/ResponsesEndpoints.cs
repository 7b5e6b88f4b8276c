using Spillway.Core.Chat;
using Spillway.Core.Codecs.Responses;
using Spillway.Http;

namespace Spillway.Endpoints;

/// <summary>
/// OpenAI's Responses API (<c>POST /v1/responses</c>), what Codex CLI and the Agents SDKs speak. The body is decoded at
/// the door into the canonical request, so a malformed one is refused in OpenAI's error shape before any upstream is
/// called; every upstream (Chat Completions hosts, Anthropic, Gemini) gets it translated, with the same fallback,
/// budgets, ledger and headers as chat.
/// </summary>
internal static class ResponsesEndpoints
{
    public static void MapResponsesEndpoints(this IEndpointRouteBuilder app)
    {
        // A plain RequestDelegate: the hot path skips the minimal-API binding layer.
        app.MapPost("/v1/responses", ChatDoor.Route(app.ServiceProvider, ResponsesClientFormat.Instance, Read));
        app.MapGet("/v1/responses", RefuseGetAsync);
    }

    /// <summary>
    /// Codex first tries the Responses API over a WebSocket (<c>GET /v1/responses</c> with <c>Upgrade: websocket</c>
    /// and <c>openai-beta: responses_websockets=…</c>). This gateway answers over HTTP only: 426 Upgrade Required is
    /// what Codex takes as "no WebSocket here" and falls back to <c>POST</c> at once (a 404 it retries five times,
    /// with backoff, first). Any other GET is a wrong method, answered as every other one is.
    /// </summary>
    internal static Task RefuseGetAsync(HttpContext context)
    {
        if (!context.Request.Headers.Upgrade.ToString().Contains("websocket", StringComparison.OrdinalIgnoreCase))
        {
            return ErrorBoundary.MethodNotAllowed(context, "POST");
        }

        var error = new ChatError(
            StatusCodes.Status426UpgradeRequired,
            ChatErrorKind.InvalidRequest,
            "The Responses API is served over HTTP only here: POST /v1/responses (stream: true for events); WebSocket sessions are not supported.")
        {
            Code = "websocket_not_supported",
        };
        return ErrorResponses.WriteAsync(context, ResponsesClientFormat.Instance, error, null);
    }

    private static ClientRequest Read(ReadOnlyMemory<byte> body, HttpRequest request)
    {
        var decoded = ResponsesRequestDecoder.Decode(body);
        if (decoded.Error is { } error)
        {
            return ClientRequest.Refused(error);
        }

        var responses = decoded.Value;
        if (responses.PreviousResponseId is not null)
        {
            // Nothing is stored: a follow-up must carry the conversation itself, as clients sending store: false do.
            return ClientRequest.Refused(ChatError.InvalidRequest(
                "previous_response_id is not supported: this gateway does not store responses. Send the whole conversation in input.",
                "previous_response_id"));
        }

        var chat = responses.Chat;
        return new ClientRequest { Model = chat.Model, Stream = chat.Stream, Decoded = chat };
    }
}
