using Spillway.Storage.Postgres;

namespace Spillway.Hosting;

/// <summary>
/// Whether PostgreSQL answers, for <c>/healthz</c> and <c>/readyz</c>: asked at start and every few seconds after (a cheap
/// <c>SELECT 1</c>), never on a request's way.
/// </summary>
internal sealed class PostgresReachability(PostgresStorage storage, TimeProvider time) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);
    private volatile bool _reachable;

    public bool Reachable => _reachable;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            _reachable = await storage.PingAsync(stoppingToken);
            using var timer = new PeriodicTimer(Interval, time);
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                _reachable = await storage.PingAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }
}
