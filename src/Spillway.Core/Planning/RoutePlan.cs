using System.Collections.Immutable;
using Spillway.Core.Configuration;
using Spillway.Core.Ledger;
using Spillway.Core.Providers;

namespace Spillway.Core.Planning;

/// <summary>
/// The ordered steps for one request, and the steps policy filtered out before any call
/// (recorded as attempts with a skip outcome, never silent).
/// </summary>
public sealed record RoutePlan(ImmutableArray<RouteStep> Steps, ImmutableArray<AttemptRecord> PolicySkips)
{
    /// <summary>What a stream that breaks after the client received part of it does: the named alias's
    /// <c>on_stream_failure</c>, <see cref="StreamFailureMode.Continue"/> for a route named directly.</summary>
    public StreamFailureMode OnStreamFailure { get; init; } = StreamFailureMode.Continue;
}
