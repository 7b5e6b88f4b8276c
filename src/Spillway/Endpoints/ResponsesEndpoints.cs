using System.Globalization;
using System.Text.Json;
using Spillway.Core.Chat;
using Spillway.Core.Codecs.Responses;
using Spillway.Http;
using Spillway.Security;
using Spillway.Serving;

namespace Spillway.Endpoints;

/// <summary>
/// OpenAI's Responses API (<c>POST /v1/responses</c>), what Codex CLI and the Agents SDKs speak. The body is decoded at
/// the door into the canonical request, so a malformed one is refused in OpenAI's error shape before any upstream is
/// called; every upstream (Chat Completions hosts, Anthropic, Gemini) gets it translated, with the same fallback,
/// budgets, ledger and headers as chat. An answer is stored unless the request says <c>store: false</c>
/// (<see cref="StoredResponses"/>): <c>GET</c> and <c>DELETE /v1/responses/{id}</c> read and remove it,
/// <c>GET /v1/responses/{id}/input_items</c> lists the conversation that led to it, and a
/// follow-up naming it in <c>previous_response_id</c> continues its conversation on whatever route serves.
/// </summary>
internal static class ResponsesEndpoints
{
    public static void MapResponsesEndpoints(this IEndpointRouteBuilder app)
    {
        // A plain RequestDelegate: the hot path skips the minimal-API binding layer.
        app.MapPost("/v1/responses", ChatDoor.Route(app.ServiceProvider, ResponsesClientFormat.Instance, Read));
        app.MapGet("/v1/responses", RefuseGetAsync);
        app.MapGet("/v1/responses/{id}", GetAsync);
        app.MapDelete("/v1/responses/{id}", DeleteAsync);
        app.MapGet("/v1/responses/{id}/input_items", ListInputItemsAsync);
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
        var chat = responses.Chat;

        // store is true unless the client says false (Codex does): only then is there anything to keep or resolve.
        var store = responses.Store ?? true;
        var turn = store || responses.PreviousResponseId is not null ? new ResponsesTurn(responses.PreviousResponseId, store) : null;
        return new ClientRequest { Model = chat.Model, Stream = chat.Stream, Decoded = chat, Turn = turn };
    }

    /// <summary><c>GET /v1/responses/{id}</c>: the stored response object, exactly as its client got it.</summary>
    internal static async Task GetAsync(HttpContext context)
    {
        var id = (string)context.Request.RouteValues["id"]!;
        if (await AdmitAsync(context) is not { } caller)
        {
            return;
        }

        var (stored, failed) = await StoreOf(context).FindAsync(id, caller.ClientId, context.RequestAborted);
        if (stored is null)
        {
            await ErrorResponses.WriteAsync(context, ResponsesClientFormat.Instance, failed ?? NotFound(id), null);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        await context.Response.BodyWriter.WriteAsync(stored.Response, context.RequestAborted);
    }

    /// <summary>
    /// <c>GET /v1/responses/{id}/input_items</c>: the stored response's input items (the conversation before its
    /// answer), a page at a time: <c>order</c> (<c>desc</c> by default), <c>limit</c> (1 to 100, 20 by default), <c>after</c>.
    /// </summary>
    internal static async Task ListInputItemsAsync(HttpContext context)
    {
        var id = (string)context.Request.RouteValues["id"]!;
        if (await AdmitAsync(context) is not { } caller)
        {
            return;
        }

        var query = context.Request.Query;
        var order = query["order"].ToString();
        var limitText = query["limit"].ToString();
        var limit = ResponsesInputItemList.DefaultLimit;
        var invalid = order is not ("" or "asc" or "desc")
            ? ChatError.InvalidRequest("order: expected asc or desc.", "order")
            : limitText.Length > 0 && !(int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) && limit is >= 1 and <= ResponsesInputItemList.MaxLimit)
                ? ChatError.InvalidRequest($"limit: expected a whole number from 1 to {ResponsesInputItemList.MaxLimit}.", "limit")
                : null;
        if (invalid is not null)
        {
            await ErrorResponses.WriteAsync(context, ResponsesClientFormat.Instance, invalid, null);
            return;
        }

        var (stored, failed) = await StoreOf(context).FindAsync(id, caller.ClientId, context.RequestAborted);
        if (stored is null)
        {
            await ErrorResponses.WriteAsync(context, ResponsesClientFormat.Instance, failed ?? NotFound(id), null);
            return;
        }

        var after = query["after"].ToString();
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        await context.Response.BodyWriter.WriteAsync(
            ResponsesInputItemList.Write(stored, order == "asc", limit, after.Length == 0 ? null : after), context.RequestAborted);
    }

    /// <summary><c>DELETE /v1/responses/{id}</c>: <c>{"id","object":"response","deleted":true}</c>, or 404.</summary>
    internal static async Task DeleteAsync(HttpContext context)
    {
        var id = (string)context.Request.RouteValues["id"]!;
        if (await AdmitAsync(context) is not { } caller)
        {
            return;
        }

        var (deleted, failed) = await StoreOf(context).DeleteAsync(id, caller.ClientId, context.RequestAborted);
        if (!deleted)
        {
            await ErrorResponses.WriteAsync(context, ResponsesClientFormat.Instance, failed ?? NotFound(id), null);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        using (var json = new Utf8JsonWriter(context.Response.BodyWriter))
        {
            json.WriteStartObject();
            json.WriteString("id"u8, id);
            json.WriteString("object"u8, "response"u8);
            json.WriteBoolean("deleted"u8, true);
            json.WriteEndObject();
        }

        await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
    }

    private static StoredResponses StoreOf(HttpContext context) => context.RequestServices.GetRequiredService<StoredResponses>();

    /// <summary>The caller, admitted as on <c>POST</c>; null once its refusal is written.</summary>
    private static async Task<Caller?> AdmitAsync(HttpContext context)
    {
        var auth = context.RequestServices.GetRequiredService<ConfigHolder>().Current.Auth;
        if (ClientGate.TryAdmit(context, auth, out var client, out var denied))
        {
            return new Caller(client?.Id);
        }

        await ErrorResponses.WriteAsync(context, ResponsesClientFormat.Instance, denied!, null);
        return null;
    }

    /// <summary>Another client's response is not found either: its existence is not the caller's to know.</summary>
    private static ChatError NotFound(string id) =>
        new(StatusCodes.Status404NotFound, ChatErrorKind.NotFound, $"Response with id '{id}' not found.") { Code = "response_not_found" };

    private sealed record Caller(string? ClientId);
}
