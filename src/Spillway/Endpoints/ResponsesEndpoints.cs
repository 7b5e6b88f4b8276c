using Spillway.Core.Chat;
using Spillway.Core.Codecs.Responses;

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
