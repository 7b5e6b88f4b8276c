namespace Spillway.Core.KeyState;

/// <summary>The four quota windows of one scope (a key, or a key and model) behind one lock: admission checks
/// every window and reserves in all of them as one step, so two requests cannot both take the last request.</summary>
internal sealed class KeyQuota
{
    private readonly Lock _gate = new();
    private readonly QuotaWindow[] _windows =
        [new(QuotaMeasure.Rpm), new(QuotaMeasure.Rpd), new(QuotaMeasure.Tpm), new(QuotaMeasure.Tpd)];

    /// <summary>True when a token quota bounds this scope, so the request's tokens must be estimated.</summary>
    public bool CountsTokens(QuotaRules rules, DateTimeOffset now)
    {
        lock (_gate)
        {
            RollAll(rules, now);
            return _windows[(int)QuotaMeasure.Tpm].IsKnown(rules) || _windows[(int)QuotaMeasure.Tpd].IsKnown(rules);
        }
    }

    /// <summary>Admits and reserves one request of <paramref name="tokens"/> tokens (null: not estimated, token
    /// quotas not checked), or names the first quota that cannot take it.</summary>
    public AdmitDecision TryAdmit(QuotaScope scope, QuotaRules rules, long? tokens, DateTimeOffset now)
    {
        lock (_gate)
        {
            RollAll(rules, now);
            foreach (var window in _windows)
            {
                var counted = window.Measure.CountsTokens();
                if (counted && tokens is null)
                {
                    continue;
                }

                var needed = counted ? tokens!.Value : 1;
                if (window.Remaining(rules) is { } remaining && remaining < needed)
                {
                    return new AdmitDecision
                    {
                        Measure = window.Measure,
                        Needed = needed,
                        Remaining = remaining,
                        Limit = window.LimitOf(rules),
                        ResetAt = window.FreesAt(needed, rules, now),
                    };
                }
            }

            return AdmitDecision.Admit(new QuotaReservation(this, scope, Count(rules, tokens ?? 0, now), tokens ?? 0));
        }
    }

    /// <summary>Corrects the held tokens to the real usage (null: keep the estimate).</summary>
    public void Settle(QuotaReservation reservation, long? tokens)
    {
        lock (_gate)
        {
            if (reservation.Closed)
            {
                return;
            }

            reservation.Closed = true;
            if (tokens is { } used)
            {
                _windows[(int)QuotaMeasure.Tpm].Adjust(reservation.Entries[(int)QuotaMeasure.Tpm], used);
                _windows[(int)QuotaMeasure.Tpd].Adjust(reservation.Entries[(int)QuotaMeasure.Tpd], used);
            }
        }
    }

    /// <summary>Gives the held capacity back: the provider did not count the call.</summary>
    public void Release(QuotaReservation reservation)
    {
        lock (_gate)
        {
            if (reservation.Closed)
            {
                return;
            }

            reservation.Closed = true;
            for (var i = 0; i < _windows.Length; i++)
            {
                _windows[i].Adjust(reservation.Entries[i], 0);
            }
        }
    }

    /// <summary>Counts a call that was made without a reservation (a retry on the same step).</summary>
    public void Record(QuotaRules rules, long tokens, DateTimeOffset now)
    {
        lock (_gate)
        {
            RollAll(rules, now);
            Count(rules, tokens, now);
        }
    }

    public void Observe(QuotaRules rules, QuotaMeasure measure, long? limit, long? remaining, DateTimeOffset? resetAt, DateTimeOffset now)
    {
        lock (_gate)
        {
            RollAll(rules, now);
            _windows[(int)measure].State(limit, remaining, resetAt, now);
        }
    }

    /// <inheritdoc cref="QuotaWindow.Infer"/>
    public long? InferMinuteLimit(QuotaRules rules, DateTimeOffset now)
    {
        lock (_gate)
        {
            RollAll(rules, now);
            return _windows[(int)QuotaMeasure.Rpm].Infer(rules, now);
        }
    }

    public void Learn(QuotaMeasure measure, long limit)
    {
        lock (_gate)
        {
            _windows[(int)measure].Teach(limit);
        }
    }

    public QuotaFigures Figures(QuotaRules rules, DateTimeOffset now)
    {
        lock (_gate)
        {
            RollAll(rules, now);
            var figures = new QuotaFigure[_windows.Length];
            for (var i = 0; i < _windows.Length; i++)
            {
                var window = _windows[i];
                figures[i] = new QuotaFigure(window.LimitOf(rules), window.Remaining(rules), window.ResetAt()) { LimitInferred = window.Inferred };
            }

            return new QuotaFigures(figures);
        }
    }

    public void Export(QuotaScope scope, DateTimeOffset now, List<QuotaRecord> into)
    {
        lock (_gate)
        {
            foreach (var window in _windows)
            {
                if (window.Export(scope, now) is { } record)
                {
                    into.Add(record);
                }
            }
        }
    }

    public void Import(QuotaRecord record)
    {
        lock (_gate)
        {
            _windows[(int)record.Measure].Import(record);
        }
    }

    private QuotaEntry[] Count(QuotaRules rules, long tokens, DateTimeOffset now)
    {
        var entries = new QuotaEntry[_windows.Length];
        for (var i = 0; i < _windows.Length; i++)
        {
            var window = _windows[i];
            entries[i] = window.Add(window.Measure.CountsTokens() ? tokens : 1, now, keep: window.IsKnown(rules) || window.KeepsForInference);
        }

        return entries;
    }

    private void RollAll(QuotaRules rules, DateTimeOffset now)
    {
        foreach (var window in _windows)
        {
            window.Roll(now, rules.DailyReset);
        }
    }
}
