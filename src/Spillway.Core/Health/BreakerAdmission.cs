namespace Spillway.Core.Health;

/// <summary>A breaker's answer to "may a call go to the route now?": yes, or no and why (safe to show).</summary>
public readonly record struct BreakerAdmission(bool Admitted, string? Refusal)
{
    public static BreakerAdmission Yes => new(true, null);

    public static BreakerAdmission No(string refusal) => new(false, refusal);
}
