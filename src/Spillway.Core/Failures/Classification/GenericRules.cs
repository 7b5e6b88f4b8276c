using System.Globalization;
using Spillway.Core.Failures.Vocabularies;

namespace Spillway.Core.Failures.Classification;

/// <summary>
/// The status-code table of src/Spillway.Core/README.md ("Failure classes"), for whatever the provider's own rules
/// left undecided.
/// </summary>
internal static class GenericRules
{
    /// <summary>Classifies by status alone, looking into the body only to tell the kinds of caller fault apart.</summary>
    public static FailureClassification Classify(ClassificationContext context)
    {
        var status = context.Status;
        return status switch
        {
            400 or 422 => CallerFault(context),
            401 => context.Result(FailureClass.AuthFailed, "authentication failed (401)", scope: CooldownScope.Key),
            402 => context.Result(FailureClass.QuotaExhausted, "payment required (402)", scope: CooldownScope.Key),
            403 when ContentSignals.IsRefusal(context) => Refused(context),
            403 => context.Result(FailureClass.AuthFailed, "permission denied (403)", scope: CooldownScope.Key),
            404 => context.Result(FailureClass.ModelUnavailable, "model or endpoint not found (404)"),
            408 => context.Result(FailureClass.Timeout, "upstream request timeout (408)"),

            // 409 is a transient lock conflict for OpenAI; the SDKs retry it like a server error.
            409 => context.Result(FailureClass.ServerError, "conflict (409)"),
            413 => context.Result(FailureClass.CallerFault, "request too large (413)",
                contextLengthExceeded: ContentSignals.IsContextLength(context),
                learnedLimit: ErrorMessageHints.ReadLimit(context.Body.Message)),
            429 => context.RateLimited("rate limited (429)", context.StatedRetryAt(), ErrorMessageHints.ReadLimit(context.Body.Message)),
            503 => context.Result(FailureClass.Overloaded, "service unavailable (503)"),
            529 => context.Result(FailureClass.Overloaded, "overloaded (529)"),

            // Cloudflare's "a timeout occurred": the origin took too long to answer the edge.
            524 => context.Result(FailureClass.Timeout, "upstream timeout (524)"),
            >= 500 and <= 599 => context.Result(FailureClass.ServerError, "server error (" + Code(status) + ")"),
            >= 400 and <= 499 => CallerFault(context),

            // Called for a success or redirect status: the answer is unusable, so it counts against the route.
            _ => context.Result(FailureClass.ServerError, "unexpected status " + Code(status)),
        };
    }

    public static FailureClassification Refused(ClassificationContext context) =>
        context.Result(FailureClass.ContentRefused, "refused by content policy");

    private static FailureClassification CallerFault(ClassificationContext context)
    {
        // Gemini answers a bad or expired key with 400 INVALID_ARGUMENT, not 401.
        if (IsInvalidKey(context))
        {
            return context.Result(FailureClass.AuthFailed, "API key rejected", scope: CooldownScope.Key);
        }

        if (ContentSignals.IsRefusal(context))
        {
            return Refused(context);
        }

        if (ContentSignals.IsContextLength(context))
        {
            return context.Result(FailureClass.CallerFault, "context length exceeded", contextLengthExceeded: true);
        }

        return context.Result(FailureClass.CallerFault, "invalid request (" + Code(context.Status) + ")");
    }

    private static bool IsInvalidKey(ClassificationContext context) =>
        context.Body.ErrorInfoReason is GeminiErrorStatuses.ApiKeyInvalidReason or GeminiErrorStatuses.ApiKeyExpiredReason
        || ErrorMessageHints.ContainsAny(context.Body.Message, ["API key not valid", "API key expired"]);

    private static string Code(int status) => status.ToString(CultureInfo.InvariantCulture);
}
