using Spillway.Core.Codecs.OpenAI;
using Spillway.Core.Configuration;

namespace Spillway.Core.Routing;

/// <summary>Everything the engine needs about one client request, read once at the door.</summary>
public sealed class ChatCall
{
    public required string RequestId { get; init; }

    /// <summary>The API the client speaks: how its errors are written.</summary>
    public required IClientFormat Client { get; init; }

    /// <summary>The client's request body, unchanged.</summary>
    public required ReadOnlyMemory<byte> Body { get; init; }

    public required ChatRequestSniff Sniff { get; init; }

    /// <summary>The alias or route the client named (or the first of its <c>models</c>).</summary>
    public required string RequestedModel { get; init; }

    public required RoutePlan Plan { get; init; }

    public required TimeoutsConfig Timeouts { get; init; }

    public string? ClientId { get; init; }

    /// <summary>When the request arrived, from the engine's <see cref="TimeProvider"/>.</summary>
    public required DateTimeOffset ReceivedAt { get; init; }

    /// <summary><see cref="TimeProvider.GetTimestamp"/> when the request arrived.</summary>
    public required long ReceivedTimestamp { get; init; }

    public bool Stream => Sniff.Stream;

    /// <summary>Whether the client asked for the usage chunk itself; usage is fetched for the ledger either way.</summary>
    public bool ClientWantsUsage => Sniff.IncludeUsage == true;
}
