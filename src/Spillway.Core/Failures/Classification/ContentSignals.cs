using Spillway.Core.Failures.Vocabularies;

namespace Spillway.Core.Failures.Classification;

/// <summary>
/// Recognises the two caller faults that the engine treats apart (src/Spillway.Core/README.md, "Failure classes"):
/// a refusal by a content policy or safety filter, and a prompt too long for the model's context, which a larger
/// route may still serve.
/// </summary>
internal static class ContentSignals
{
    private static readonly string[] RefusalCodes =
        ["content_filter", OpenAIErrorCodes.ContentPolicyViolation, "content_policy", "moderation", "refusal"];

    private static readonly string[] RefusalPhrases =
    [
        "content policy", "content management policy", "safety system", "requires moderation", "was flagged",
        "flagged for", "usage policies", "blocked by the safety",
    ];

    private static readonly string[] ContextCodes = [OpenAIErrorCodes.ContextLengthExceeded];

    private static readonly string[] ContextPhrases =
    [
        "maximum context length", "context window", "context length", "context limit", "too many tokens",
        "prompt is too long", "exceeds the maximum number of tokens", "input token count",
    ];

    public static bool IsRefusal(ClassificationContext context)
    {
        var body = context.Body;
        if (body.BlockReason is not null || body.Flagged || HasAnyCode(context, RefusalCodes))
        {
            return true;
        }

        return ErrorMessageHints.ContainsAny(body.Message, RefusalPhrases)
            || ErrorMessageHints.ContainsAny(body.Raw, RefusalPhrases);
    }

    public static bool IsContextLength(ClassificationContext context)
    {
        var body = context.Body;
        return HasAnyCode(context, ContextCodes)
            || ErrorMessageHints.ContainsAny(body.Message, ContextPhrases)
            || ErrorMessageHints.ContainsAny(body.Raw, ContextPhrases)
            || ErrorMessageHints.ContainsAny(body.Raw, ContextCodes);
    }

    private static bool HasAnyCode(ClassificationContext context, string[] codes)
    {
        foreach (var code in codes)
        {
            if (context.HasCode(code))
            {
                return true;
            }
        }

        return false;
    }
}
