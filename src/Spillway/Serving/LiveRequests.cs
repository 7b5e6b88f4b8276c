using System.Threading.Channels;
using Spillway.Core.Ledger;

namespace Spillway.Serving;

/// <summary>
/// Hands each finished request's ledger entry to whoever watches live (the dashboard's request stream). Each watcher
/// has its own small queue that drops its oldest entries when it falls behind, so a slow page never holds up a
/// request; with nobody watching, publishing is one check.
/// </summary>
internal sealed class LiveRequests
{
    /// <summary>How many entries a watcher may fall behind before its oldest are dropped.</summary>
    public const int WatcherQueue = 256;

    private readonly Lock _gate = new();
    private Channel<LedgerEntry>[] _watchers = [];

    public void Publish(LedgerEntry entry)
    {
        // The array is replaced, never changed in place: a read without the lock sees a whole one.
        foreach (var watcher in Volatile.Read(ref _watchers))
        {
            watcher.Writer.TryWrite(entry);
        }
    }

    /// <summary>Starts watching; dispose the result to stop.</summary>
    public Watch Subscribe()
    {
        var channel = Channel.CreateBounded<LedgerEntry>(new BoundedChannelOptions(WatcherQueue)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });
        lock (_gate)
        {
            _watchers = [.. _watchers, channel];
        }

        return new Watch(this, channel);
    }

    private void Remove(Channel<LedgerEntry> channel)
    {
        lock (_gate)
        {
            _watchers = [.. _watchers.Where(w => w != channel)];
        }
    }

    /// <summary>One watcher's entries, as they come.</summary>
    internal sealed class Watch(LiveRequests owner, Channel<LedgerEntry> channel) : IDisposable
    {
        public ChannelReader<LedgerEntry> Entries => channel.Reader;

        public void Dispose() => owner.Remove(channel);
    }
}
