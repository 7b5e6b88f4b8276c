namespace Spillway.Core.KeyState;

/// <summary>The quota's answer to "may this key take this request now?": a reservation, or the limit in the way.</summary>
public readonly record struct AdmitDecision
{
    /// <summary>The capacity held for the call; null when refused.</summary>
    public QuotaReservation? Reservation { get; init; }

    public bool Admitted => Reservation is not null;

    /// <summary>The quota that cannot take the request.</summary>
    public QuotaMeasure Measure { get; init; }

    /// <summary>What the request needs of it (1 request, or the estimated tokens).</summary>
    public long Needed { get; init; }

    public long Remaining { get; init; }

    /// <summary>The limit in force; null when only the provider's stated remaining is known.</summary>
    public long? Limit { get; init; }

    /// <summary>The earliest moment the request would fit.</summary>
    public DateTimeOffset ResetAt { get; init; }

    public static AdmitDecision Admit(QuotaReservation reservation) => new() { Reservation = reservation };

    /// <summary>For the attempt's detail: "rpm 0 of 2 left, needs 1; resets at 2026-…".</summary>
    public string Describe()
    {
        var of = Limit is { } limit ? $" of {limit}" : " (stated by the provider)";
        return $"{Measure.Name()} {Remaining}{of} left, needs {Needed}; resets at {ResetAt:O}";
    }
}
