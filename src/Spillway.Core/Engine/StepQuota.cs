using Spillway.Core.Failures;
using Spillway.Core.KeyState;
using Spillway.Core.Providers;
using Spillway.Core.Providers.RateLimits;

namespace Spillway.Core.Engine;

/// <summary>
/// Where a step's quota is counted and by which rules. Proactive quota: before a call the key's known remaining
/// requests and tokens must take the request, else the step is skipped as <c>skipped_quota</c> with no call.
/// Admission reserves one request and the estimated tokens; the answer settles them with the real usage, or
/// releases them where the provider did not count the call. Every successful answer's headers correct the
/// figures; a refusal that names its limit teaches it.
/// </summary>
internal static class StepQuota
{
    /// <summary>The provider counts per key and model where its rules say so or the config lists the model's own limits.</summary>
    public static QuotaScope ScopeOf(RouteStep step) =>
        step.Provider.RateLimits.QuotaPerModel || step.Key.ModelLimits.ContainsKey(step.Model)
            ? new QuotaScope(step.Key.Id, step.Model)
            : new QuotaScope(step.Key.Id, string.Empty);

    public static QuotaRules RulesOf(RouteStep step) => new(
        step.Key.ModelLimits.TryGetValue(step.Model, out var perModel) ? perModel : step.Key.Limits,
        step.Provider.RateLimits.DailyReset);

    /// <summary>
    /// Whether the provider counted a failed call against the key. Refusals (rate limits, auth, a bad request, a
    /// missing model), overloads and calls that never connected are given back; a timeout or a server error may
    /// have been processed (a stream that broke had produced tokens), so it stays counted: erring that way never
    /// sends a call to a spent key.
    /// </summary>
    public static bool ProviderCounted(FailureClass failure) => failure is FailureClass.Timeout or FailureClass.ServerError;

    public static QuotaMeasure? MeasureOf(RateLimitWindow window, bool tokens) => window switch
    {
        RateLimitWindow.Minute => tokens ? QuotaMeasure.Tpm : QuotaMeasure.Rpm,
        RateLimitWindow.Day => tokens ? QuotaMeasure.Tpd : QuotaMeasure.Rpd,
        _ => null,
    };
}
