using Spillway.Core.Providers;
using Spillway.Core.Providers.RateLimits;

namespace Spillway.Core.KeyState;

/// <summary>The configured side of a quota: the known limits (preset figures merged with the user's) and when the
/// provider's day starts over. Passed with every call, so a config reload takes effect at once.</summary>
public readonly record struct QuotaRules(KeyLimits Limits, DailyResetRule DailyReset);
