namespace Spillway.Simulator;

/// <summary>
/// Counts requests and tokens per API key to play a free tier: a sliding 60-second window for the per-minute
/// limit and the UTC calendar day for the per-day limit (OpenRouter and Gemini reset daily caps at UTC
/// midnight; Groq really refills gradually, which the simulator does not imitate). Thread-safe.
/// </summary>
internal sealed class QuotaTracker
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, KeyUsage> _keys = new(StringComparer.Ordinal);

    /// <summary>Admits and counts one request of <paramref name="tokens"/> tokens, or says which window is full.</summary>
    /// <param name="keyId">An opaque id of the API key (never the key itself).</param>
    public QuotaVerdict TryAdmit(string keyId, int? requestsPerMinute, int? requestsPerDay, int tokens, DateTimeOffset now)
    {
        lock (_gate)
        {
            var usage = GetUsage(keyId);
            usage.Roll(now);

            // The day is checked first: when both windows are full the daily cap is the one that matters to
            // a gateway (waiting a minute would not help).
            if (requestsPerDay is { } perDay && usage.DayRequests >= perDay)
            {
                var snapshot = usage.Snapshot(now);
                return new QuotaVerdict(QuotaWindow.PerDay, perDay, snapshot.DayReset, snapshot);
            }

            if (requestsPerMinute is { } perMinute && usage.MinuteLog.Count >= perMinute)
            {
                var snapshot = usage.Snapshot(now);
                return new QuotaVerdict(QuotaWindow.PerMinute, perMinute, snapshot.MinuteReset, snapshot);
            }

            usage.MinuteLog.Enqueue((now, tokens));
            usage.DayRequests++;
            usage.MonthTokens += tokens;
            return new QuotaVerdict(null, 0, TimeSpan.Zero, usage.Snapshot(now));
        }
    }

    /// <summary>The key's usage without counting anything (for the headers of scripted answers).</summary>
    public QuotaSnapshot Peek(string keyId, DateTimeOffset now)
    {
        lock (_gate)
        {
            var usage = GetUsage(keyId);
            usage.Roll(now);
            return usage.Snapshot(now);
        }
    }

    public void Reset()
    {
        lock (_gate)
        {
            _keys.Clear();
        }
    }

    private KeyUsage GetUsage(string keyId)
    {
        if (!_keys.TryGetValue(keyId, out var usage))
        {
            usage = new KeyUsage();
            _keys.Add(keyId, usage);
        }

        return usage;
    }

    private static DateTimeOffset NextUtcMidnight(DateTimeOffset now) =>
        new(now.UtcDateTime.Date.AddDays(1), TimeSpan.Zero);

    private sealed class KeyUsage
    {
        public Queue<(DateTimeOffset Time, int Tokens)> MinuteLog { get; } = new();

        public DateOnly Day { get; private set; }

        public int DayRequests { get; set; }

        public (int Year, int Month) Month { get; private set; }

        public long MonthTokens { get; set; }

        /// <summary>Forgets what fell out of the windows as of <paramref name="now"/>.</summary>
        public void Roll(DateTimeOffset now)
        {
            while (MinuteLog.Count > 0 && MinuteLog.Peek().Time <= now - Minute)
            {
                MinuteLog.Dequeue();
            }

            var utc = now.UtcDateTime;
            var today = DateOnly.FromDateTime(utc);
            if (today != Day)
            {
                Day = today;
                DayRequests = 0;
            }

            if ((utc.Year, utc.Month) != Month)
            {
                Month = (utc.Year, utc.Month);
                MonthTokens = 0;
            }
        }

        public QuotaSnapshot Snapshot(DateTimeOffset now)
        {
            var minuteTokens = 0;
            foreach (var entry in MinuteLog)
            {
                minuteTokens += entry.Tokens;
            }

            var minuteReset = MinuteLog.Count == 0 ? TimeSpan.Zero : MinuteLog.Peek().Time + Minute - now;
            var midnight = NextUtcMidnight(now);
            return new QuotaSnapshot(MinuteLog.Count, minuteTokens, minuteReset, DayRequests, midnight - now, MonthTokens, midnight);
        }
    }
}
