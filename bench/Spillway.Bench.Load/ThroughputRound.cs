using Spillway.Bench.Load.Measure;

namespace Spillway.Bench.Load;

/// <summary>One 32-connection round of a target: what wrk counted, Spillway's CPU per request, and what Redis did and
/// PostgreSQL's CPU time during it (null when not measured or not over the shared stores).</summary>
internal sealed record ThroughputRound(WrkResult Result, double? CpuUsPerRequest, RedisStats? Redis, TimeSpan? PostgresCpu);
