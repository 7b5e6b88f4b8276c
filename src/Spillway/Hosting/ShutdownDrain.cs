namespace Spillway.Hosting;

/// <summary>
/// When the gateway is asked to stop (SIGTERM, <c>docker stop</c>), Kestrel takes no new requests and those under way
/// get <see cref="SpillwayAppOptions.ShutdownGrace"/> to finish. When it is over, <see cref="GraceOver"/> fires: calls
/// still running end at once, a stream with its in-band error event and a <c>shutdown</c> attempt in the ledger, so the
/// client hears why instead of a cut connection blamed on itself. The host's own shutdown timeout is a little longer,
/// so those endings are written and the ledger flushed before the process exits.
/// </summary>
internal sealed class ShutdownDrain : IDisposable
{
    /// <summary>What the host allows beyond the grace: the endings written and the ledger flushed.</summary>
    public static readonly TimeSpan Wrapup = TimeSpan.FromSeconds(5);

    private readonly CancellationTokenSource _over;
    private readonly TaskCompletionSource _begun = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ShutdownDrain(TimeProvider time)
    {
        _over = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
    }

    /// <summary>Cancelled once the stop's grace is over.</summary>
    public CancellationToken GraceOver => _over.Token;

    /// <summary>Completes once the stop began and the grace is running.</summary>
    public Task Begun => _begun.Task;

    /// <summary>The stop began: the grace runs from now, on the gateway's clock.</summary>
    public void Begin(TimeSpan grace)
    {
        _over.CancelAfter(grace);
        _begun.TrySetResult();
    }

    public void Dispose() => _over.Dispose();
}
