namespace Spillway.Bench.Load.Measure;

/// <summary>What a <see cref="RedisMonitor"/> saw over one wrk run of <see cref="Requests"/> requests.</summary>
/// <param name="Sent">Commands the Spillway instances sent (each one a request to Redis: a round trip, or a write not waited for).</param>
/// <param name="InScripts">Commands the Lua scripts ran inside Redis (no round trip of their own).</param>
internal sealed record RedisSample(IReadOnlyDictionary<string, long> Sent, IReadOnlyDictionary<string, long> InScripts, long Requests)
{
    public static async Task<RedisSample> WatchAsync(int port, Func<Task<WrkResult[]>> run, CancellationToken cancellationToken)
    {
        await using var monitor = await RedisMonitor.StartAsync(port, cancellationToken);
        var results = await run();
        var (sent, inScripts) = await monitor.StopAsync();
        return new RedisSample(sent, inScripts, results.Sum(r => r.Requests));
    }
}
