namespace Spillway.Simulator;

/// <summary>What an error body and its headers need to say.</summary>
/// <param name="Kind">Which error.</param>
/// <param name="Model">The requested model ("" when there was none).</param>
/// <param name="Limit">For 429s: the request limit of the exhausted window.</param>
/// <param name="RetryAfter">For 429s: when the client may try again.</param>
/// <param name="PromptTokens">The estimated prompt size (context-length messages quote it).</param>
/// <param name="Now">The simulator's clock.</param>
/// <param name="Usage">The key's usage, for rate-limit headers.</param>
/// <param name="Limits">The provider's configured free quota.</param>
/// <param name="MaskedKey">The caller's key as OpenAI quotes it: a short prefix, stars, the last four characters.</param>
internal readonly record struct ErrorFacts(
    ErrorKind Kind,
    string Model,
    int Limit,
    TimeSpan RetryAfter,
    int PromptTokens,
    DateTimeOffset Now,
    QuotaSnapshot Usage,
    QuotaLimits Limits,
    string MaskedKey)
{
    /// <summary>A scripted fault's own message, in place of the vendor's usual one (<see cref="SimulatedFault.Message"/>).</summary>
    public string? Message { get; init; }
}
