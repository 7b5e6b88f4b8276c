namespace Spillway.Core.Failures.Vocabularies;

/// <summary>
/// The <c>error.type</c> and <c>error.code</c> values of OpenAI's error envelope
/// <c>{"error":{"message","type","param","code"}}</c>, which Groq, OpenRouter and most OpenAI-compatible hosts copy
/// (wire-facts §1.4). Some words serve as both a type and a code. The classification rules
/// (<c>Failures/Classification/OpenAIFamilyRules.cs</c>, <c>ContentSignals.cs</c>) and the codec
/// (<c>Codecs/OpenAI/OpenAIChatErrorCodec.cs</c>) both spell them from here.
/// </summary>
internal static class OpenAIErrorCodes
{
    /// <summary>Type: the request is malformed or cannot be served as asked.</summary>
    public const string InvalidRequestError = "invalid_request_error";

    /// <summary>Type: the key is missing or wrong.</summary>
    public const string AuthenticationError = "authentication_error";

    /// <summary>Type: the key may not use this resource.</summary>
    public const string PermissionError = "permission_error";

    /// <summary>Type: no such resource.</summary>
    public const string NotFoundError = "not_found_error";

    /// <summary>Type and code: an error on the provider's side.</summary>
    public const string ServerError = "server_error";

    /// <summary>Type and code: the account is out of credit (billing, not a rate; OpenAI sends it with 429).</summary>
    public const string InsufficientQuota = "insufficient_quota";

    /// <summary>Type and code: a rate limit was hit.</summary>
    public const string RateLimitExceeded = "rate_limit_exceeded";

    /// <summary>Code: the prompt does not fit the model's context window.</summary>
    public const string ContextLengthExceeded = "context_length_exceeded";

    /// <summary>Code: the request body is too large.</summary>
    public const string RequestTooLarge = "request_too_large";

    /// <summary>Code: the API key is not valid.</summary>
    public const string InvalidApiKey = "invalid_api_key";

    /// <summary>Code: the model does not exist or the key has no access to it.</summary>
    public const string ModelNotFound = "model_not_found";

    /// <summary>Code: the request was refused by a content policy.</summary>
    public const string ContentPolicyViolation = "content_policy_violation";

    /// <summary>Code: the provider timed out.</summary>
    public const string Timeout = "timeout";

    /// <summary>Code: the provider is overloaded.</summary>
    public const string Overloaded = "overloaded";
}
