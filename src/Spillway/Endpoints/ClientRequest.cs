using System.Collections.Immutable;
using Spillway.Core.Chat;
using Spillway.Core.Codecs;
using Spillway.Core.Planning;

namespace Spillway.Endpoints;

/// <summary>What the door read of a client's chat request: enough to route it, or why it is refused.</summary>
internal sealed record ClientRequest
{
    public string? Model { get; init; }

    /// <summary>An OpenRouter-style <c>models</c> chain (OpenAI clients only).</summary>
    public ImmutableArray<string> Models { get; init; } = [];

    public bool Stream { get; init; }

    public bool WantsUsage { get; init; }

    /// <summary>The OpenAI sniff, kept for the pass-through rewrite.</summary>
    public ChatRequestSniff? Sniff { get; init; }

    /// <summary>The request already decoded (Anthropic clients are decoded at the door to validate them).</summary>
    public ChatRequest? Decoded { get; init; }

    public ChatError? Error { get; init; }

    /// <summary>A Responses request that is stored or continues a stored one; null for every other request.</summary>
    public ResponsesTurn? Turn { get; init; }

    /// <summary>
    /// The body an upstream of the client's own format is sent instead of the client's (a Responses follow-up with
    /// its conversation spliced in); null to send the client's bytes.
    /// </summary>
    public ReadOnlyMemory<byte>? PassThroughBody { get; init; }

    public static ClientRequest Refused(ChatError error) => new() { Error = error };

    /// <summary>What the request asks of a route (tools, images, JSON mode, its size), from the sniff or the decoded request.</summary>
    public RequestNeeds NeedsOf(int bodyBytes) =>
        Sniff is { } sniff ? RequestNeeds.Of(sniff, bodyBytes)
        : Decoded is { } decoded ? RequestNeeds.Of(decoded, bodyBytes)
        : RequestNeeds.None;
}
