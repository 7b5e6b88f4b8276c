namespace Spillway.Storage.Redis.Quotas;

/// <summary>What <see cref="RedisQuotaStore"/> keeps of one reservation in Redis, to settle or release it there:
/// its entry id, the day each day window counted it in, and the statement each window was under.</summary>
internal sealed class RedisQuotaHold(string id, long rpdReset, long tpdReset, string[] statements, int kept, long admittedAt)
{
    /// <summary>The kept mask when it is not known which minute windows kept the entry: both are cleared.</summary>
    public const int AllKept = 3;

    /// <summary>The kept mask's bit for the tpm window.</summary>
    public const int TpmKept = 2;

    private int _closed;

    public string Id { get; } = id;

    /// <summary>The rpd window's reset (Unix ms) when it was counted, so a late release never touches the next day.</summary>
    public long RpdReset { get; } = rpdReset;

    public long TpdReset { get; } = tpdReset;

    /// <summary>The statement id in force per window (rpm, rpd, tpm, tpd) when it was counted; empty for none.</summary>
    public string[] Statements { get; } = statements;

    /// <summary>Which minute windows keep the entry as a sorted-set member (1 rpm, 2 tpm), so a release or settlement
    /// only touches those.</summary>
    public int Kept { get; } = kept;

    /// <summary>When it was admitted (Unix ms, the caller's clock).</summary>
    public long AdmittedAt { get; } = admittedAt;

    /// <summary>True the first time only: a reservation is settled or released once.</summary>
    public bool TryClose() => Interlocked.Exchange(ref _closed, 1) == 0;
}
