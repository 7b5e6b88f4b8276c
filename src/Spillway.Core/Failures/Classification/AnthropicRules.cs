using System.Globalization;
using Spillway.Core.Failures.Vocabularies;
using Spillway.Core.Providers.RateLimits;

namespace Spillway.Core.Failures.Classification;

/// <summary>
/// Anthropic's typed errors (wire-facts §2.4, §2.5, §7). The type decides, so the same rules read an
/// <c>event: error</c> that arrives inside a 200 stream.
/// </summary>
internal static class AnthropicRules
{
    private static readonly string[] CreditPhrases =
        ["credit balance", "spend limit", "usage limits", "purchase credits", "billing"];

    private static readonly string[] ResetFamilies = ["requests", "tokens", "input-tokens", "output-tokens"];

    /// <summary>The HTTP status an Anthropic error type stands for; null for unknown types.</summary>
    public static int? StatusOf(string? errorType) => errorType switch
    {
        AnthropicErrorTypes.InvalidRequest => 400,
        AnthropicErrorTypes.Authentication => 401,
        AnthropicErrorTypes.Billing => 402,
        AnthropicErrorTypes.Permission => 403,
        AnthropicErrorTypes.NotFound => 404,
        AnthropicErrorTypes.RequestTooLarge => 413,
        AnthropicErrorTypes.RateLimit => 429,
        AnthropicErrorTypes.Api => 500,
        AnthropicErrorTypes.Timeout => 504,
        AnthropicErrorTypes.Overloaded => 529,
        _ => null,
    };

    public static FailureClassification? Classify(ClassificationContext context)
    {
        var body = context.Body;
        var status = StatusOf(body.Type) ?? context.Status;
        return status switch
        {
            429 => RateLimit(context),

            // Service-wide (529 overloaded_error): route health, not the account's limit.
            529 => context.Result(FailureClass.Overloaded, "overloaded (529)"),
            402 => Billing(context, "billing error"),
            400 when ErrorMessageHints.ContainsAny(body.Message, CreditPhrases) => Billing(context, "credit or spend limit reached"),
            500 => context.Result(FailureClass.ServerError, "API error (500)"),
            504 => context.Result(FailureClass.ServerError, "upstream timeout (504)"),
            _ => null,
        };
    }

    private static FailureClassification RateLimit(ClassificationContext context)
    {
        var message = context.Body.Message;
        var dimension = ErrorMessageHints.Dimension(message, null);
        var retryAt = RetryHints.ReadRetryAt(context.Headers, context.Now) ?? LatestSpentReset(context);
        return context.RateLimited(dimension.Describe(), retryAt, ReadOrganizationLimit(message));
    }

    private static FailureClassification Billing(ClassificationContext context, string summary) =>
        context.Result(FailureClass.QuotaExhausted, summary, ReadRegainAccess(context.Body.Message), CooldownScope.Key);

    // Every anthropic-ratelimit-*-reset whose budget is at zero must pass before the key can take a request.
    private static DateTimeOffset? LatestSpentReset(ClassificationContext context)
    {
        DateTimeOffset? latest = null;
        foreach (var family in ResetFamilies)
        {
            var remaining = RateLimitHeaderValues.Count(context.Headers.Get("anthropic-ratelimit-" + family + "-remaining"));
            var reset = RateLimitHeaderValues.Timestamp(context.Headers.Get("anthropic-ratelimit-" + family + "-reset"));
            if (remaining <= 0 && reset > (latest ?? context.Now))
            {
                latest = reset;
            }
        }

        return latest;
    }

    // "... rate limit for your organization (…) of 40,000 input tokens per minute."
    private static long? ReadOrganizationLimit(string? message)
    {
        if (message is null)
        {
            return null;
        }

        var at = message.IndexOf(") of ", StringComparison.Ordinal);
        return at >= 0 && ErrorMessageHints.TryReadNumber(message.AsSpan(at + 5), out var limit) ? limit : null;
    }

    // "You have reached your specified API usage limits. You will regain access on 2025-09-01 at 00:00 UTC."
    private static DateTimeOffset? ReadRegainAccess(string? message)
    {
        const string Phrase = "regain access on ";
        const string Format = "yyyy-MM-dd 'at' HH:mm";
        const int StampLength = 19; // "2025-09-01 at 00:00"
        var at = message?.IndexOf(Phrase, StringComparison.OrdinalIgnoreCase) ?? -1;
        if (at < 0 || message!.Length < at + Phrase.Length + StampLength)
        {
            return null;
        }

        var stamp = message.AsSpan(at + Phrase.Length, StampLength);
        return DateTimeOffset.TryParseExact(stamp, Format, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var regain)
            ? regain
            : null;
    }
}
