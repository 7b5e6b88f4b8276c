using System.Collections.Immutable;
using Spillway.Core.Ledger;
using Spillway.Core.Providers;

namespace Spillway.Core.Planning;

/// <summary>
/// The ordered steps for one request, and the steps policy filtered out before any call
/// (recorded as attempts with a skip outcome, never silent).
/// </summary>
public sealed record RoutePlan(ImmutableArray<RouteStep> Steps, ImmutableArray<AttemptRecord> PolicySkips);
