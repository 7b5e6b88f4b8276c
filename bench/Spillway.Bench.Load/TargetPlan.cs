using Spillway.Bench.Load.Targets;

namespace Spillway.Bench.Load;

/// <summary>How to bring one target up (and prime it) for measuring, or why it cannot be.</summary>
/// <param name="Id">The short name <c>--only</c> selects it by (<see cref="BenchOptions.TargetIds"/>).</param>
/// <param name="EmbeddedTwin">For a target over Redis and PostgreSQL, the row with the same config on the embedded
/// stores that it is compared with; null for the others.</param>
internal sealed record TargetPlan(
    string Id,
    string Name,
    bool IsSpillway,
    Func<CancellationToken, Task<RunningTarget>> Start,
    Func<RunningTarget, CancellationToken, Task>? Prime = null,
    string? Skip = null,
    bool IsNative = false,
    string? EmbeddedTwin = null);
