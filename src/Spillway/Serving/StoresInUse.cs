namespace Spillway.Serving;

/// <summary>
/// Where this instance keeps what it must share or keep, for the banner and <c>/healthz</c>: live key state (quota
/// windows, cooldowns, breakers, client limits, budget holds) in this process or in Redis; records (ledger, stored
/// keys and clients, model catalog) in the data folder's SQLite file or in PostgreSQL.
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

    /// <summary>True while PostgreSQL answers (the last ledger write or check); asked on every <c>/healthz</c>.</summary>
    public Func<bool> PostgresAvailable { get; init; } = static () => false;

    public string LiveState => Redis is null ? "memory" : "redis";

    public string Records => Postgres is null ? "sqlite" : "postgres";

    /// <summary>What is wrong with the shared stores right now, each as a sentence; empty when all is well.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>(2);
        if (Redis is not null && !RedisAvailable())
        {
            problems.Add($"Redis at {Redis} is unreachable: quotas, cooldowns, breakers and client limits are this instance's own until it returns, and paid calls of clients with a budget are refused");
        }

        if (Postgres is not null && !PostgresAvailable())
        {
            problems.Add($"PostgreSQL at {Postgres} is unreachable: ledger entries wait in memory (bounded) until it returns");
        }

        return problems;
    }
}
