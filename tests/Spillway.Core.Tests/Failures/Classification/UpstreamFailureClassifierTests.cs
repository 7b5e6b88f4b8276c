using System.Text;
using Spillway.Core.Failures;
using Spillway.Core.Failures.Classification;
using Spillway.Core.Providers.RateLimits;

namespace Spillway.Core.Tests.Failures.Classification;

/// <summary>
/// Shared set-up; the cases live in one file per provider family (UpstreamFailureClassifierTests.*.cs).
/// The fixed clock is a Tuesday two days after US daylight saving began: next UTC midnight 2026-03-11T00:00Z,
/// next Pacific midnight 2026-03-11T07:00Z (PDT).
/// </summary>
public partial class UpstreamFailureClassifierTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 15, 30, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset NextUtcMidnight = new(2026, 3, 11, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset NextPacificMidnight = new(2026, 3, 11, 7, 0, 0, TimeSpan.Zero);

    private static readonly RateLimitRules OpenAI = new(RateLimitScheme.OpenAI);
    private static readonly RateLimitRules Groq = new(RateLimitScheme.Groq, DailyResetRule.UtcMidnight, QuotaPerModel: true);
    private static readonly RateLimitRules Gemini = new(RateLimitScheme.Gemini, DailyResetRule.PacificMidnight, QuotaPerModel: true);
    private static readonly RateLimitRules OpenRouter = new(RateLimitScheme.OpenRouter);
    private static readonly RateLimitRules Mistral = new(RateLimitScheme.Mistral);
    private static readonly RateLimitRules Anthropic = new(RateLimitScheme.Anthropic);

    private static FailureClassification Classify(
        string provider, RateLimitRules rules, int status, string body, params (string Name, string Value)[] headers) =>
        UpstreamFailureClassifier.Classify(provider, rules, status, Headers(headers), Encoding.UTF8.GetBytes(body), Now);

    private static FailureClassification ClassifySample(
        string provider, RateLimitRules rules, string file, int index, Func<string, object> envelope)
    {
        var (status, body) = FixtureSamples.Load(file, index, envelope);
        return UpstreamFailureClassifier.Classify(provider, rules, status, UpstreamHeaders.Empty, body, Now);
    }

    private static UpstreamHeaders Headers((string Name, string Value)[] headers) =>
        headers.Length == 0 ? UpstreamHeaders.Empty : new UpstreamHeaders(headers.ToDictionary(h => h.Name, h => h.Value));

    private static DateTimeOffset? ExpectedAt(string? iso) => iso is null ? null : FixtureSamples.At(iso);

    private static void AssertSample(
        FailureClassification actual, FailureClass expectedClass, CooldownScope expectedScope, string? expectedRetryAt, long? expectedLimit)
    {
        Assert.Equal(expectedClass, actual.Class);
        Assert.Equal(expectedScope, actual.Scope);
        Assert.Equal(ExpectedAt(expectedRetryAt), actual.RetryAt);
        Assert.Equal(expectedLimit, actual.LearnedLimit);
    }
}
