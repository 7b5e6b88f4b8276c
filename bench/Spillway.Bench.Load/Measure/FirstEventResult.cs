namespace Spillway.Bench.Load.Measure;

/// <summary>Time from sending a streamed request to reading its first <c>data:</c> line, in microseconds.</summary>
internal sealed record FirstEventResult(int Count, double P50Us, double P90Us, double P99Us);
