using System.Globalization;

namespace Spillway.Serving;

/// <summary>
/// Where this instance keeps what it must share or keep, for the banner, <c>/healthz</c> and <c>/readyz</c>: live key state (quota
/// windows, cooldowns, breakers, client limits, budget holds) in this process or in Redis; records (ledger, stored
/// keys and clients, model catalog) in the data folder's SQLite file or in PostgreSQL; and whether the ledger can be
/// written.
/// </summary>
internal sealed record StoresInUse
{
    public static StoresInUse Embedded { get; } = new();

    /// <summary>The Redis server's address when live state is shared; null when it stays in this process.</summary>
    public string? Redis { get; init; }

    /// <summary>True while Redis answers; asked on every <c>/healthz</c>.</summary>
    public Func<bool> RedisAvailable { get; init; } = static () => false;

    /// <summary>The PostgreSQL server (host and database, never the password) when records are shared; null for SQLite.</summary>
    public string? Postgres { get; init; }

    /// <summary>True while PostgreSQL answers (its last check); asked on every <c>/healthz</c>.</summary>
    public Func<bool> PostgresAvailable { get; init; } = static () => false;

    /// <summary>The ledger writer's backlog and whether its store can be written; asked on every <c>/healthz</c>.</summary>
    public Func<LedgerBacklog> Ledger { get; init; } = static () => LedgerBacklog.None;

    public string LiveState => Redis is null ? "memory" : "redis";

    public string Records => Postgres is null ? "sqlite" : "postgres";

    /// <summary>
    /// What is wrong with the stores right now, given the ledger's state as <see cref="Ledger"/> just said, each as a
    /// sentence; empty when all is well. Entries dropped in the past are no problem now: the backlog counts them.
    /// </summary>
    public IReadOnlyList<string> Problems(LedgerBacklog ledger)
    {
        var problems = new List<string>(3);
        if (Redis is not null && !RedisAvailable())
        {
            problems.Add($"Redis at {Redis} is unreachable: quotas, cooldowns, breakers and client limits are this instance's own until it returns, and paid calls of clients with a budget are refused");
        }

        if (Postgres is not null && !PostgresAvailable())
        {
            problems.Add($"PostgreSQL at {Postgres} is unreachable: ledger entries wait in memory (bounded) until it returns");
        }

        if (ledger.StoreFailing)
        {
            var store = Postgres is null ? "the data folder's SQLite file" : $"PostgreSQL at {Postgres}";
            problems.Add(string.Create(
                CultureInfo.InvariantCulture,
                $"the ledger cannot be written to {store}: {ledger.Queued} {(ledger.Queued == 1 ? "entry waits" : "entries wait")} in memory and are written once it can be; beyond {ledger.Capacity} waiting, new entries are dropped ({ledger.Dropped} so far)"));
        }

        return problems;
    }
}
