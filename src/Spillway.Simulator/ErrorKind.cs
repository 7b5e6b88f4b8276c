namespace Spillway.Simulator;

/// <summary>Every error the simulator can answer with; each style renders it in its vendor's real shape.</summary>
internal enum ErrorKind
{
    InvalidJson,
    MissingModel,
    InvalidModelType,
    MissingMessages,
    InvalidMessagesType,
    EmptyMessages,
    MissingApiKey,
    InvalidApiKey,
    RateLimitedPerMinute,
    UpstreamRateLimited,
    QuotaPerDay,
    QuotaExhausted,
    ServerError,
    Overloaded,
    ContextLengthExceeded,
    ModelNotFound,
    MissingMaxTokens,
    MissingApiVersion,

    /// <summary>An embeddings or Responses body without <c>input</c> (or a Gemini embed body without <c>content</c>).</summary>
    MissingInput,

    /// <summary>An embeddings <c>input</c> of a shape the API does not take.</summary>
    InvalidInput,

    /// <summary>The conversation ends with an assistant turn (a prefill) the model does not continue.</summary>
    PrefillRefused,

    /// <summary>Anthropic: a prefill that ends in whitespace.</summary>
    PrefillTrailingWhitespace,
}
