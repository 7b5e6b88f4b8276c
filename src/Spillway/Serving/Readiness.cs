using System.Globalization;

namespace Spillway.Serving;

/// <summary>
/// Whether this instance should be sent requests now (<c>GET /readyz</c>): the config it serves, each store it was
/// configured with and answers, the ledger can be written, and it is not shutting down. Each failed check gives the
/// reason in words; a load balancer needs only the status code.
/// </summary>
internal sealed record Readiness(IReadOnlyList<ReadinessCheck> Checks)
{
    public bool Ready => Checks.All(check => check.Passed);

    public IEnumerable<string> Reasons => Checks.Where(check => !check.Passed).Select(check => check.Reason!);

    /// <param name="configSource">Where the config came from (a file, the environment, the demo).</param>
    /// <param name="stopping">True once shutdown began.</param>
    public static Readiness Of(string configSource, StoresInUse stores, bool stopping)
    {
        var ledger = stores.Ledger();
        var checks = new List<ReadinessCheck>(5)
        {
            // Always passes: the listener opens only once the config is loaded, and a reload that fails keeps the last.
            new("config", ReadinessCheck.Ok) { Facts = [("source", configSource)] },
        };
        if (stores.Redis is { } redis)
        {
            checks.Add(stores.RedisAvailable()
                ? new("redis", ReadinessCheck.Ok) { Facts = [("address", redis)] }
                : new("redis", "unreachable", $"redis {redis} is unreachable: quotas, cooldowns, breakers and client limits are counted by this instance alone until it answers, and paid calls of clients with a budget are refused")
                {
                    Facts = [("address", redis)],
                });
        }

        if (stores.Postgres is { } postgres)
        {
            checks.Add(stores.PostgresAvailable()
                ? new("postgres", ReadinessCheck.Ok) { Facts = [("server", postgres)] }
                : new("postgres", "unreachable", string.Create(CultureInfo.InvariantCulture, $"postgresql {postgres} is unreachable: ledger entries are buffered in memory (at most {ledger.Capacity}) until it answers"))
                {
                    Facts = [("server", postgres)],
                });
        }

        checks.Add(new("ledger", ledger.StoreFailing ? "unwritable" : ReadinessCheck.Ok, ledger.StoreFailing ? LedgerReason(ledger) : null)
        {
            Counts = [("queued", ledger.Queued), ("dropped", ledger.Dropped)],
        });
        checks.Add(stopping
            ? new("shutdown", "stopping", "shutting down: the requests under way are finishing, new ones belong on another instance")
            : new("shutdown", ReadinessCheck.Ok));
        return new Readiness(checks);
    }

    private static string LedgerReason(LedgerBacklog ledger) => string.Create(
        CultureInfo.InvariantCulture,
        $"the ledger store cannot be written: {ledger.Queued} {(ledger.Queued == 1 ? "entry waits" : "entries wait")} in memory; beyond {ledger.Capacity} waiting, new entries are dropped ({ledger.Dropped} so far)");
}
