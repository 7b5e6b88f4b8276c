namespace Spillway.Hosting;

/// <summary>
/// A background task that sweeps once at start and then every <see cref="Interval"/> on the gateway's clock, off the
/// start path, until the gateway stops: the shape of every retention job. A sweep handles its own failures (logs them
/// and waits for the next round); requests never wait for one.
/// </summary>
internal abstract class HourlySweep(TimeProvider time) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    /// <summary>Rows deleted per statement, so appends to the same tables never wait long.</summary>
    public const int BatchSize = 1000;

    /// <summary>The gateway's clock.</summary>
    protected TimeProvider Time { get; } = time;

    /// <summary>One round; must not throw but for cancellation at shutdown.</summary>
    protected abstract Task SweepOnceAsync(CancellationToken stoppingToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Off the start path: the first sweep of a big table may take a while.
        await Task.Yield();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await SweepOnceAsync(stoppingToken);
                await Task.Delay(Interval, Time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }
}
