using Spillway.Core.Ledger;

namespace Spillway.Hosting;

/// <summary>Creates the ledger's tables before the first request and flushes every queued entry on shutdown.</summary>
internal sealed class LedgerLifetime(ILedgerStore store, LedgerWriter writer) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken) => await store.InitializeAsync(cancellationToken);

    public async Task StopAsync(CancellationToken cancellationToken) => await writer.DisposeAsync();
}
