using Spillway.Core.Chat;
using Spillway.Core.Codecs.OpenAI;
using Spillway.Core.Configuration;

namespace Spillway.Core.Routing;

/// <summary>Everything the engine needs about one client request, read once at the door.</summary>
public sealed class ChatCall
{
    private ChatResult<ChatRequest>? _canonical;

    public required string RequestId { get; init; }

    /// <summary>The API the client speaks: how its request is read and its answers and errors are written.</summary>
    public required IClientFormat Client { get; init; }

    /// <summary>The client's request body, unchanged.</summary>
    public required ReadOnlyMemory<byte> Body { get; init; }

    /// <summary>What the OpenAI sniffer read of an OpenAI client's body (the pass-through rewrites with it); null for other clients.</summary>
    public ChatRequestSniff? Sniff { get; init; }

    /// <summary>The alias or route the client named (or the first of its <c>models</c>).</summary>
    public required string RequestedModel { get; init; }

    public required RoutePlan Plan { get; init; }

    public required TimeoutsConfig Timeouts { get; init; }

    public string? ClientId { get; init; }

    /// <summary>The client's spending limits; null when it has none (every paid call is then admitted).</summary>
    public Budgets.ClientBudget? Budget { get; init; }

    /// <summary>When the request arrived, from the engine's <see cref="TimeProvider"/>.</summary>
    public required DateTimeOffset ReceivedAt { get; init; }

    /// <summary><see cref="TimeProvider.GetTimestamp"/> when the request arrived.</summary>
    public required long ReceivedTimestamp { get; init; }

    /// <summary>True when the client asked for a streamed answer.</summary>
    public required bool Stream { get; init; }

    /// <summary>Whether the client asked for the usage chunk itself; usage is fetched for the ledger either way.</summary>
    public bool ClientWantsUsage { get; init; }

    /// <summary>The client's <c>anthropic-version</c> header, passed to Anthropic upstreams.</summary>
    public string? AnthropicVersion { get; init; }

    /// <summary>The client's <c>anthropic-beta</c> header, passed to Anthropic upstreams.</summary>
    public string? AnthropicBeta { get; init; }

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
