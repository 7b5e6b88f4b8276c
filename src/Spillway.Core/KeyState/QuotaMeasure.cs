using Spillway.Core.Providers;

namespace Spillway.Core.KeyState;

/// <summary>One of the four quotas a key is counted against.</summary>
public enum QuotaMeasure
{
    /// <summary>Requests per minute.</summary>
    Rpm,

    /// <summary>Requests per day.</summary>
    Rpd,

    /// <summary>Tokens per minute.</summary>
    Tpm,

    /// <summary>Tokens per day.</summary>
    Tpd,
}

/// <summary>What a <see cref="QuotaMeasure"/> counts and over which window.</summary>
public static class QuotaMeasures
{
    /// <summary>The four measures in the order the admin API lists them.</summary>
    public static readonly QuotaMeasure[] All = [QuotaMeasure.Rpm, QuotaMeasure.Rpd, QuotaMeasure.Tpm, QuotaMeasure.Tpd];

    public static bool IsDaily(this QuotaMeasure measure) => measure is QuotaMeasure.Rpd or QuotaMeasure.Tpd;

    public static bool CountsTokens(this QuotaMeasure measure) => measure is QuotaMeasure.Tpm or QuotaMeasure.Tpd;

    /// <summary>The config and admin API name: <c>rpm</c>, <c>rpd</c>, <c>tpm</c>, <c>tpd</c>.</summary>
    public static string Name(this QuotaMeasure measure) => measure switch
    {
        QuotaMeasure.Rpm => "rpm",
        QuotaMeasure.Rpd => "rpd",
        QuotaMeasure.Tpm => "tpm",
        _ => "tpd",
    };

    /// <summary>The measure named <paramref name="name"/>, or null.</summary>
    public static QuotaMeasure? Parse(string? name) => name switch
    {
        "rpm" => QuotaMeasure.Rpm,
        "rpd" => QuotaMeasure.Rpd,
        "tpm" => QuotaMeasure.Tpm,
        "tpd" => QuotaMeasure.Tpd,
        _ => null,
    };

    /// <summary>The figure a <see cref="KeyLimits"/> gives for <paramref name="measure"/>.</summary>
    public static long? Of(this KeyLimits limits, QuotaMeasure measure) => measure switch
    {
        QuotaMeasure.Rpm => limits.Rpm,
        QuotaMeasure.Rpd => limits.Rpd,
        QuotaMeasure.Tpm => limits.Tpm,
        _ => limits.Tpd,
    };
}
