using Spillway.Core.Codecs.Anthropic;

namespace Spillway.Endpoints;

/// <summary>
/// The Anthropic-compatible client API: <c>POST /v1/messages</c> (Claude Code adds <c>?beta=true</c>, which changes
/// nothing here). The body is decoded at the door, so a malformed request is refused in Anthropic's error shape
/// before any upstream is called.
/// </summary>
internal static class AnthropicEndpoints
{
    public static void MapAnthropicEndpoints(this IEndpointRouteBuilder app)
    {
        // A plain RequestDelegate: the hot path skips the minimal-API binding layer.
        app.MapPost("/v1/messages", ChatDoor.Route(app.ServiceProvider, AnthropicClientFormat.Instance, Read));
    }

    private static ClientRequest Read(ReadOnlyMemory<byte> body, HttpRequest request)
    {
        var beta = request.Headers["anthropic-beta"].ToString();
        var decoded = AnthropicRequestDecoder.Decode(body, beta.Length == 0 ? null : beta);
        if (decoded.Error is { } error)
        {
            return ClientRequest.Refused(error);
        }

        var chat = decoded.Value;
        return new ClientRequest { Model = chat.Model, Stream = chat.Stream, Decoded = chat };
    }
}
