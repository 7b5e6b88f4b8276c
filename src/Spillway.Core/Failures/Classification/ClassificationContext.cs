using Spillway.Core.Providers.RateLimits;

namespace Spillway.Core.Failures.Classification;

/// <summary>One failed answer, parsed once, with the helpers every provider's rules share.</summary>
internal sealed class ClassificationContext
{
    /// <summary>The wait when a rate limit states none (src/Spillway.Core/README.md, "Failure classes").</summary>
    public static readonly TimeSpan DefaultRateLimitWait = TimeSpan.FromSeconds(60);

    public ClassificationContext(
        string providerId, RateLimitRules rules, int status, UpstreamHeaders headers, UpstreamErrorBody body, DateTimeOffset now)
    {
        ProviderId = providerId;
        Rules = rules;
        Status = status;
        Headers = headers;
        Body = body;
        Now = now;
    }

    public string ProviderId { get; }

    public RateLimitRules Rules { get; }

    /// <summary>The HTTP status, or the one the body states when the error arrived inside a 200 stream.</summary>
    public int Status { get; }

    public UpstreamHeaders Headers { get; }

    public UpstreamErrorBody Body { get; }

    public DateTimeOffset Now { get; }

    /// <summary>The upstream's own words: the message, else a short plain-text body.</summary>
    public string? Detail => Body.Message ?? Body.Text;

    /// <summary>What a rate limit or quota of this provider cools: the key's model where it counts per model.</summary>
    public CooldownScope LimitScope => Rules.QuotaPerModel ? CooldownScope.KeyModel : CooldownScope.Key;

    /// <summary>The error's code, type or OpenRouter error type equals one of the values.</summary>
    public bool HasCode(string value) =>
        string.Equals(Body.Code, value, StringComparison.OrdinalIgnoreCase)
        || string.Equals(Body.Type, value, StringComparison.OrdinalIgnoreCase)
        || string.Equals(Body.ErrorType, value, StringComparison.OrdinalIgnoreCase);

    /// <summary><c>retry-after-ms</c> / <c>retry-after</c>, or a wait in the message; null when neither.</summary>
    public DateTimeOffset? StatedRetryAt()
    {
        var fromHeaders = RetryHints.ReadRetryAt(Headers, Now);
        if (fromHeaders is not null)
        {
            return fromHeaders;
        }

        return ErrorMessageHints.TryReadWait(Body.Message, out var wait) ? Now + wait : null;
    }

    public DateTimeOffset After(TimeSpan wait) => Now + wait;

    public FailureClassification Result(
        FailureClass failure,
        string summary,
        DateTimeOffset? retryAt = null,
        CooldownScope scope = CooldownScope.None,
        bool contextLengthExceeded = false,
        long? learnedLimit = null,
        LimitDimension dimension = default) =>
        new(failure, FailureReason.Build(ProviderId, summary, Detail), retryAt, scope, contextLengthExceeded, learnedLimit)
        {
            LimitMeasure = dimension.Measure,
        };

    /// <summary>A short-window rate limit on this provider's usual scope.</summary>
    public FailureClassification RateLimited(
        string summary, DateTimeOffset? retryAt, long? learnedLimit = null, LimitDimension dimension = default) =>
        Result(FailureClass.RateLimited, summary, retryAt ?? After(DefaultRateLimitWait), LimitScope, learnedLimit: learnedLimit, dimension: dimension);
}
