using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Spillway.Core.Configuration;
using Spillway.Core.Ledger;
using Spillway.Hosting;
using Spillway.Storage.Sqlite;

namespace Spillway.Bench.Yield.Fleet;

/// <summary>
/// The real gateway (the same <see cref="SpillwayApp"/> that <c>spillway serve</c> builds) on Kestrel 127.0.0.1:0,
/// in this process so it reads the simulators' clock, with its SQLite ledger in a temporary folder.
/// </summary>
internal sealed class GatewayHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _dataDirectory;
    private bool _stopped;

    private GatewayHost(WebApplication app, string dataDirectory)
    {
        _app = app;
        _dataDirectory = dataDirectory;
        Address = app.BoundAddress();
    }

    public Uri Address { get; }

    public static async Task<GatewayHost> StartAsync(SpillwayConfig config, TimeProvider time, CancellationToken cancellationToken)
    {
        var dataDirectory = Directory.CreateTempSubdirectory("spillway-yield-").FullName;
        var app = SpillwayApp.Build(new SpillwayAppOptions
        {
            Config = config,
            Urls = "http://127.0.0.1:0",
            DataDirectory = dataDirectory,
            Time = time,
            LedgerBatchWindowTime = TimeProvider.System,
            // Cooldown notes are Information; errors would still show.
            LogLevel = LogLevel.Error,
        });
        await app.StartAsync(cancellationToken);
        return new GatewayHost(app, dataDirectory);
    }

    /// <summary>Stops the gateway (which flushes the ledger) and reads every entry it wrote.</summary>
    public async Task<IReadOnlyList<LedgerEntry>> StopAndReadLedgerAsync(CancellationToken cancellationToken)
    {
        await StopAsync();
        using var store = new SqliteLedgerStore(_dataDirectory);
        await store.InitializeAsync(cancellationToken);
        return await store.ListRecentAsync(int.MaxValue, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // SQLite may still hold the file briefly; a temporary folder left behind is harmless.
        }
    }

    private async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
