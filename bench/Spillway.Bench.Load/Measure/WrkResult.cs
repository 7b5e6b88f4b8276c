namespace Spillway.Bench.Load.Measure;

/// <summary>One wrk run, from the JSON line that Scripts/post.lua prints. Latencies in microseconds.</summary>
internal sealed record WrkResult(long Requests, double Seconds, double P50Us, double P90Us, double P99Us, double MeanUs, long Errors)
{
    public double RequestsPerSecond => Seconds > 0 ? Requests / Seconds : 0;
}
