using Spillway.Core.Providers.RateLimits;

namespace Spillway.Core.Failures.Classification;

/// <summary>
/// Maps one failed upstream answer to its failure class (src/Spillway.Core/README.md, "Failure classes"), with when
/// the key comes back ("When a tapped-out key comes back"), what to cool down and any limit the error named.
/// Pure: the same answer and clock always give the same result.
/// </summary>
/// <remarks>
/// Order: parse the body once (any envelope, or none); take the status the body states when the error arrived
/// inside a 200 stream; let the provider family's rules decide what they know (Gemini by body shape, OpenRouter,
/// Anthropic, Mistral by scheme, else OpenAI's conventions, which Groq and most hosts share); and fall back to the
/// status table.
/// </remarks>
public static class UpstreamFailureClassifier
{
    /// <summary>Classifies an HTTP answer that is a failure (or an error event inside a streamed 200).</summary>
    /// <param name="providerId">The configured provider id; it prefixes the reason.</param>
    /// <param name="rules">The provider's rate-limit rules (scheme, daily reset, per-model quotas).</param>
    /// <param name="status">The HTTP status code.</param>
    /// <param name="headers">The answer's headers.</param>
    /// <param name="body">The answer's body as received (UTF-8), possibly empty, HTML or truncated.</param>
    /// <param name="now">The time the answer arrived; every stated wait is counted from it.</param>
    public static FailureClassification Classify(
        string providerId, RateLimitRules rules, int status, UpstreamHeaders headers, ReadOnlySpan<byte> body, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrEmpty(providerId);
        ArgumentNullException.ThrowIfNull(rules);
        var parsed = UpstreamErrorBody.Parse(body);
        var context = new ClassificationContext(providerId, rules, EffectiveStatus(status, parsed), headers, parsed, now);
        return FamilyRules(context) ?? GenericRules.Classify(context);
    }

    /// <summary>Classifies a call that ended without an HTTP answer.</summary>
    /// <param name="exception">What the HTTP stack threw.</param>
    /// <param name="timedOut">True when the caller's own connect or first-token deadline fired.</param>
    /// <param name="providerId">The configured provider id for the reason; "upstream" when not given.</param>
    public static FailureClassification ClassifyTransportError(Exception exception, bool timedOut, string? providerId = null)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return TransportErrorClassifier.Classify(string.IsNullOrEmpty(providerId) ? "upstream" : providerId, exception, timedOut);
    }

    private static FailureClassification? FamilyRules(ClassificationContext context)
    {
        var body = context.Body;
        if (body.BlockReason is not null)
        {
            return context.Result(FailureClass.ContentRefused, "prompt blocked (" + body.BlockReason + ")");
        }

        // Body shape first: Gemini's OpenAI-compatible endpoint answers in google.rpc form whatever the scheme.
        if (body.IsGoogleStatus || context.Rules.Scheme == RateLimitScheme.Gemini)
        {
            return GeminiRules.Classify(context);
        }

        if (context.Rules.Scheme == RateLimitScheme.OpenRouter || ErrorMessageHints.Contains(body.Message, "free-models-per-"))
        {
            return OpenRouterRules.Classify(context);
        }

        if (context.Rules.Scheme == RateLimitScheme.Anthropic || body.IsAnthropicEnvelope)
        {
            return AnthropicRules.Classify(context);
        }

        return context.Rules.Scheme == RateLimitScheme.Mistral
            ? MistralRules.Classify(context)
            : OpenAIFamilyRules.Classify(context);
    }

    // Errors after a streamed 200 carry their real status in the body: OpenRouter's error.code, Gemini's status,
    // Anthropic's error type, OpenAI's error code. A failing HTTP status always wins over the body.
    private static int EffectiveStatus(int status, UpstreamErrorBody body)
    {
        if (status >= 400)
        {
            return status;
        }

        if (body.CodeNumber is >= 400 and <= 599)
        {
            return body.CodeNumber.Value;
        }

        return (body.IsAnthropicEnvelope ? AnthropicRules.StatusOf(body.Type) : null)
            ?? GeminiRules.StatusOf(body.Status)
            ?? OpenAIFamilyRules.StatusOf(body.Code)
            ?? OpenAIFamilyRules.StatusOf(body.Type)
            ?? status;
    }
}
