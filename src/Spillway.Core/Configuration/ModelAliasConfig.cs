using System.Collections.Immutable;

namespace Spillway.Core.Configuration;

/// <summary>A model name clients may ask for, standing for a chain of <c>provider/model</c> routes.</summary>
public sealed record ModelAliasConfig(string Id, RoutingStrategy Strategy, ImmutableArray<string> Route)
{
    /// <summary>What a stream that breaks after the client received part of it does (<c>on_stream_failure</c>).</summary>
    public StreamFailureMode OnStreamFailure { get; init; } = StreamFailureMode.Continue;
}
