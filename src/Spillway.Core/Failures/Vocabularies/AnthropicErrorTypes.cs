namespace Spillway.Core.Failures.Vocabularies;

/// <summary>
/// Anthropic's error types, the <c>error.type</c> of <c>{"type":"error","error":{"type","message"}}</c>
/// (wire-facts §2.4). The classification rules (<c>Failures/Classification/AnthropicRules.cs</c>) and the codec
/// (<c>Codecs/Anthropic/AnthropicErrorCodec.cs</c>) both spell them from here.
/// </summary>
internal static class AnthropicErrorTypes
{
    /// <summary>400: the request is malformed or asks for something the model cannot do.</summary>
    public const string InvalidRequest = "invalid_request_error";

    /// <summary>401: the key is missing or wrong.</summary>
    public const string Authentication = "authentication_error";

    /// <summary>402: the account cannot pay.</summary>
    public const string Billing = "billing_error";

    /// <summary>403: the key may not use this resource.</summary>
    public const string Permission = "permission_error";

    /// <summary>404: no such model or resource.</summary>
    public const string NotFound = "not_found_error";

    /// <summary>413: the request body is too large.</summary>
    public const string RequestTooLarge = "request_too_large";

    /// <summary>429: the organization's rate limit.</summary>
    public const string RateLimit = "rate_limit_error";

    /// <summary>500: an error inside Anthropic.</summary>
    public const string Api = "api_error";

    /// <summary>504: Anthropic timed out.</summary>
    public const string Timeout = "timeout_error";

    /// <summary>529: Anthropic is overloaded as a whole.</summary>
    public const string Overloaded = "overloaded_error";
}
