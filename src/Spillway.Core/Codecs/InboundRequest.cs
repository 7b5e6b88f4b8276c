using Spillway.Core.Chat;

namespace Spillway.Core.Codecs;

/// <summary>
/// The client's request as the codecs see it: its body unchanged, what the door read of it, and the headers that
/// ride along to an upstream of the same format. The engine's <c>ChatCall</c> carries one; the codec seams
/// (<see cref="IClientFormat"/>, <see cref="IUpstreamProtocol"/>) take only this, so codecs never see routing.
/// </summary>
public sealed class InboundRequest
{
    private ChatResult<ChatRequest>? _canonical;

    /// <summary>The API the client speaks: how its request is read and its answers and errors are written.</summary>
    public required IClientFormat Client { get; init; }

    /// <summary>The client's request body, unchanged.</summary>
    public required ReadOnlyMemory<byte> Body { get; init; }

    /// <summary>What the OpenAI sniffer read of an OpenAI client's body (the pass-through rewrites with it); null for other clients.</summary>
    public ChatRequestSniff? Sniff { get; init; }

    /// <summary>True when the client asked for a streamed answer.</summary>
    public required bool Stream { get; init; }

    /// <summary>Whether the client asked for the usage chunk itself; usage is fetched for the ledger either way.</summary>
    public bool ClientWantsUsage { get; init; }

    /// <summary>The client's <c>anthropic-version</c> header, passed to Anthropic upstreams.</summary>
    public string? AnthropicVersion { get; init; }

    /// <summary>The client's <c>anthropic-beta</c> header, passed to Anthropic upstreams.</summary>
    public string? AnthropicBeta { get; init; }

    /// <summary>When the request arrived (an OpenAI answer's <c>created</c>), from the engine's <see cref="TimeProvider"/>.</summary>
    public required DateTimeOffset ReceivedAt { get; init; }

    /// <summary>The request already decoded at the door (Anthropic clients), so it is not decoded twice.</summary>
    public ChatRequest? Decoded
    {
        init
        {
            if (value is not null)
            {
                _canonical = new ChatResult<ChatRequest>(value);
            }
        }
    }

    /// <summary>The request in canonical form, decoded on first use: only a route of another format needs it.</summary>
    internal ChatResult<ChatRequest> Canonical => _canonical ??= Client.DecodeRequest(this);
}
