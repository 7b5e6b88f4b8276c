using Spillway.Core.Configuration;
using Spillway.Core.Engine;
using Spillway.Core.Ledger;
using Spillway.Serving;

namespace Spillway.Hosting;

/// <summary>How to build one gateway process (the CLI fills it; functional tests build it directly).</summary>
internal sealed record SpillwayAppOptions
{
    public required SpillwayConfig Config { get; init; }

    /// <summary>Where Kestrel listens; <c>http://127.0.0.1:0</c> picks a free port.</summary>
    public string Urls { get; init; } = "http://127.0.0.1:4000";

    /// <summary>The folder of the embedded SQLite database (the CLI resolves it: <c>--data</c>, <c>SPILLWAY_DATA</c>, the user's data folder).</summary>
    public required string DataDirectory { get; init; }

    /// <summary>The gateway's clock (the CLI passes the real one; tests a fake one).</summary>
    public required TimeProvider Time { get; init; }

    /// <summary>
    /// The clock of the ledger's batch window; <see cref="Time"/> when null. A gateway on a frozen test clock gives it
    /// the real one, so the ledger file does not lag behind (see LedgerWriter's constructor).
    /// </summary>
    public TimeProvider? LedgerBatchWindowTime { get; init; }

    /// <summary>The ledger writer's queue (how many entries wait while the store cannot be written), batches and retries.</summary>
    public LedgerWriterOptions Ledger { get; init; } = new();

    public EngineOptions Engine { get; init; } = new();

    /// <summary>The largest request body accepted (413 beyond).</summary>
    public int MaxRequestBodyBytes { get; init; } = 32 * 1024 * 1024;

    /// <summary>Kestrel's timeouts and header limits.</summary>
    public ServerLimits Limits { get; init; } = new();

    /// <summary>True when the providers are the built-in demo's simulators.</summary>
    public bool Demo { get; init; }

    /// <summary>How often the key state (cooldowns, quota counters) is saved to the database; also saved at shutdown.</summary>
    public TimeSpan KeyStateSaveInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How often the clients stored with <c>spillway clients</c> are read again (added, changed, revoked).</summary>
    public TimeSpan StoredClientsInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// With Redis, how often the stored clients are read anyway: changes are announced on Redis and read at once, so
    /// this only catches an announcement that was lost.
    /// </summary>
    public TimeSpan StoredClientsBackstopInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Minimum log level for the console.</summary>
    public LogLevel LogLevel { get; init; } = LogLevel.Information;

    /// <summary>How the console log lines are written: readable (the default) or one JSON object per line.</summary>
    public LogFormat LogFormat { get; init; } = LogFormat.Console;

    /// <summary>More logging setup, run after the console logger is added (tests capture what the gateway logs).</summary>
    public Action<ILoggingBuilder>? ConfigureLogging { get; init; }

    /// <summary>The part of these options the endpoints and the HTTP pipeline see.</summary>
    public ServingOptions Serving => new() { MaxRequestBodyBytes = MaxRequestBodyBytes, Demo = Demo };
}
