using Spillway.Core.Providers.RateLimits;

namespace Spillway.Core.KeyState;

/// <summary>
/// One quota of one scope (e.g. a key's requests per day): what was counted, the limit learned from the provider,
/// and the remaining figure the provider last stated. Not thread-safe: <see cref="KeyQuota"/> guards it.
/// </summary>
/// <remarks>
/// <para>
/// Minute windows slide: every amount counted in the last 60 s is kept (at most one entry per call) and the window
/// frees each one 60 s after it was counted. Against a provider that counts over a sliding minute this is exact;
/// against a fixed minute or a refilling bucket (OpenAI, Groq) it only errs by refusing a little early, never by
/// calling a key the provider will refuse, which a fixed window anchored anywhere else could do.
/// </para>
/// <para>
/// Day windows are a counter that starts over at the provider's <see cref="DailyResetRule"/> (Pacific midnight for
/// Gemini, UTC midnight otherwise): a day's worth of timestamps would cost memory for no gain.
/// </para>
/// <para>
/// A figure the provider states (<c>x-ratelimit-remaining-*</c> with its reset) beats the count until that reset:
/// the remaining is the lower of the two, and amounts counted after the statement are taken off it.
/// </para>
/// </remarks>
internal sealed class QuotaWindow
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    // Minute windows only.
    private readonly Queue<QuotaEntry>? _log;

    // The sum of the log's amounts, kept as entries come, go and settle: reading the window is O(1).
    private long _logSum;
    private int _statement;

    public QuotaWindow(QuotaMeasure measure)
    {
        Measure = measure;
        if (!measure.IsDaily())
        {
            _log = new Queue<QuotaEntry>();
        }
    }

    public QuotaMeasure Measure { get; }

    /// <summary>The most calls a minute window keeps while no limit bounds it: enough to infer a free tier's limit
    /// from its first 429; a key that takes more a minute is no key whose limit needs inferring.</summary>
    public const int InferenceLogCap = 1024;

    /// <summary>How long a limit inferred from a 429 holds before it is forgotten (and inferred again if need be).</summary>
    public static readonly TimeSpan InferredLifetime = TimeSpan.FromDays(1);

    /// <summary>The limit the provider stated (a header or a 429's "Limit 1000"), or one inferred from a 429 that
    /// came after that many calls in the window (<see cref="Inferred"/>); beats the configured figure.</summary>
    public long? Learned { get; set; }

    /// <summary>True when <see cref="Learned"/> was inferred, not stated: it is lowered by a 429 that comes sooner
    /// and forgotten after <see cref="InferredLifetime"/>; a stated limit replaces it.</summary>
    public bool Inferred { get; private set; }

    private DateTimeOffset _inferredAt;

    /// <summary>Day windows: what was counted since the last reset.</summary>
    public long DayUsed { get; private set; }

    /// <summary>Day windows: when the current day ends; null before anything was counted.</summary>
    public DateTimeOffset? DayResetAt { get; private set; }

    /// <summary>What the provider last said is left, less what was counted since; null when it said nothing.</summary>
    public long? StatedRemaining { get; private set; }

    /// <summary>Until when <see cref="StatedRemaining"/> holds.</summary>
    public DateTimeOffset StatedUntil { get; private set; }

    /// <summary>The amount counted in the window now (after <see cref="Roll"/>).</summary>
    public long Used => _log is null ? DayUsed : _logSum;

    /// <summary>The limit in force: learned from the provider, else configured.</summary>
    public long? LimitOf(QuotaRules rules) => Learned ?? rules.Limits.Of(Measure);

    /// <summary>True when anything bounds this window (a limit, or a stated remaining).</summary>
    public bool IsKnown(QuotaRules rules) => LimitOf(rules) is not null || StatedRemaining is not null;

    /// <summary>Takes a limit the provider named (in a refusal): it replaces an inferred one.</summary>
    public void Teach(long limit)
    {
        Learned = limit;
        Inferred = false;
    }

    /// <summary>True when the calls of this unbounded minute window are worth keeping: a 429 may teach its limit.</summary>
    public bool KeepsForInference => Measure == QuotaMeasure.Rpm && _log is { Count: < InferenceLogCap };

    /// <summary>
    /// The provider refused a request of this minute window without saying its limit: when nothing else bounds the
    /// window, the calls it counted in the last minute are its limit from now on (lowered by a later refusal that
    /// comes sooner). Returns the limit inferred, or null when there is nothing to infer from.
    /// </summary>
    public long? Infer(QuotaRules rules, DateTimeOffset now)
    {
        if ((Learned is not null && !Inferred) || rules.Limits.Of(Measure) is not null || StatedRemaining is not null ||
            _log is null || _log.Count >= InferenceLogCap || Used <= 0 || (Inferred && Used >= Learned))
        {
            return null;
        }

        Learned = Used;
        Inferred = true;
        _inferredAt = now;
        return Learned;
    }

    /// <summary>Forgets what fell out of the window as of <paramref name="now"/>.</summary>
    public void Roll(DateTimeOffset now, DailyResetRule rule)
    {
        if (Inferred && now - _inferredAt >= InferredLifetime)
        {
            Learned = null;
            Inferred = false;
        }

        if (_log is not null)
        {
            while (_log.Count > 0 && _log.Peek().At <= now - Minute)
            {
                var gone = _log.Dequeue();
                gone.InLog = false;
                _logSum -= gone.Amount;
            }
        }
        else if (DayResetAt is not { } reset || now >= reset)
        {
            DayUsed = 0;
            DayResetAt = DailyReset.Next(rule, now);
        }

        if (StatedRemaining is not null && now >= StatedUntil)
        {
            StatedRemaining = null;
        }
    }

    /// <summary>What is left now; null when nothing bounds the window.</summary>
    public long? Remaining(QuotaRules rules)
    {
        long? remaining = LimitOf(rules) is { } limit ? limit - Used : null;
        if (StatedRemaining is { } stated && (remaining is null || stated < remaining))
        {
            remaining = stated;
        }

        return remaining is { } r ? Math.Max(0, r) : null;
    }

    /// <summary>When the window next starts over (or the provider's statement ends); null when nothing is counted.</summary>
    public DateTimeOffset? ResetAt()
    {
        if (StatedRemaining is not null)
        {
            return StatedUntil;
        }

        if (_log is null)
        {
            return DayUsed > 0 ? DayResetAt : null;
        }

        foreach (var entry in _log)
        {
            if (entry.Amount > 0)
            {
                return entry.At + Minute;
            }
        }

        return null;
    }

    /// <summary>The earliest moment <paramref name="needed"/> would fit, assuming nothing else is counted.</summary>
    public DateTimeOffset FreesAt(long needed, QuotaRules rules, DateTimeOffset now)
    {
        var at = now;
        if (StatedRemaining is { } stated && stated < needed)
        {
            at = StatedUntil;
        }

        if (LimitOf(rules) is not { } limit || limit - Used >= needed)
        {
            return at;
        }

        DateTimeOffset freed;
        if (_log is null)
        {
            freed = DayResetAt ?? now;
        }
        else
        {
            // Entries leave the window oldest first; the request fits once enough of them have left.
            var excess = Used + needed - limit;
            freed = now + Minute;
            foreach (var entry in _log)
            {
                excess -= entry.Amount;
                if (excess <= 0)
                {
                    freed = entry.At + Minute;
                    break;
                }
            }
        }

        return freed > at ? freed : at;
    }

    /// <summary>Counts <paramref name="amount"/> now; the entry lets a settlement correct it later.</summary>
    /// <param name="amount">The amount.</param>
    /// <param name="now">When.</param>
    /// <param name="keep">
    /// For a minute window: false when nothing bounds it, so nothing is kept. A busy key with no known per-minute
    /// limit would otherwise hold one entry per call for a minute; a limit learned later comes with the provider's
    /// own remaining figure or a cooldown that outlasts the minute.
    /// </param>
    public QuotaEntry Add(long amount, DateTimeOffset now, bool keep = true)
    {
        var entry = new QuotaEntry(now, amount, DayResetAt, _statement);
        if (_log is null)
        {
            DayUsed += amount;
        }
        else if (keep)
        {
            _log.Enqueue(entry);
            entry.InLog = true;
            _logSum += amount;
        }

        if (StatedRemaining is { } stated)
        {
            StatedRemaining = stated - amount;
        }

        return entry;
    }

    /// <summary>Sets a counted amount to what it really was (0 to release it).</summary>
    public void Adjust(QuotaEntry entry, long amount)
    {
        var delta = amount - entry.Amount;
        if (delta == 0)
        {
            return;
        }

        if (_log is null && entry.Epoch == DayResetAt)
        {
            DayUsed = Math.Max(0, DayUsed + delta);
        }
        else if (entry.InLog)
        {
            _logSum += delta;
        }

        // A statement made after the entry was counted already includes what the provider really counted.
        if (StatedRemaining is { } stated && entry.Statement == _statement)
        {
            StatedRemaining = stated - delta;
        }

        entry.Amount = amount;
    }

    /// <summary>Takes what the provider stated: its limit, and what is left until <paramref name="resetAt"/>.</summary>
    public void State(long? limit, long? remaining, DateTimeOffset? resetAt, DateTimeOffset now)
    {
        if (limit is > 0)
        {
            Learned = limit;
            Inferred = false;
        }

        if (remaining is not { } left)
        {
            return;
        }

        _statement++;
        StatedRemaining = Math.Max(0, left);
        StatedUntil = resetAt is { } at && at > now ? at : (_log is null ? DayResetAt ?? now + Minute : now + Minute);
    }

    public QuotaRecord? Export(QuotaScope scope, DateTimeOffset now)
    {
        var stated = StatedRemaining is not null && StatedUntil > now;
        var dayCounted = _log is null && DayUsed > 0 && DayResetAt > now;

        // An inferred limit is not kept across a restart: the next refusal infers it again.
        var learned = Inferred ? null : Learned;
        if (learned is null && !stated && !dayCounted)
        {
            return null;
        }

        return new QuotaRecord(
            scope.KeyId,
            scope.Model,
            Measure,
            learned,
            dayCounted ? DayUsed : 0,
            dayCounted ? DayResetAt : null,
            stated ? StatedRemaining : null,
            stated ? StatedUntil : null);
    }

    public void Import(QuotaRecord record)
    {
        Learned = record.LearnedLimit;
        if (_log is null && record.WindowResetAt is { } reset)
        {
            DayUsed = record.Used;
            DayResetAt = reset;
        }

        if (record.StatedRemaining is { } stated && record.StatedUntil is { } until)
        {
            _statement++;
            StatedRemaining = stated;
            StatedUntil = until;
        }
    }
}
