namespace Spillway.Core.Failures;

/// <summary>What one failed upstream answer means.</summary>
/// <param name="Class">The failure class that drives the engine.</param>
/// <param name="Reason">A short human reason, safe to show (never a key), e.g. "groq: tokens per minute (TPM) limit".</param>
/// <param name="RetryAt">When the provider says the limit resets (or the rule for its window does); null when unknown.</param>
/// <param name="Scope">What to cool down.</param>
/// <param name="ContextLengthExceeded">A caller fault that a route with a larger context might still serve.</param>
/// <param name="LearnedLimit">A limit the error named (e.g. "Limit 1000"), for the key's known quota; null when none.</param>
public sealed record FailureClassification(
    FailureClass Class,
    string Reason,
    DateTimeOffset? RetryAt = null,
    CooldownScope Scope = CooldownScope.None,
    bool ContextLengthExceeded = false,
    long? LearnedLimit = null)
{
    /// <summary>Which quota <see cref="LearnedLimit"/> is the limit of; null when the error did not say.</summary>
    public KeyState.QuotaMeasure? LimitMeasure { get; init; }

    /// <summary>Whether calling the same step again at once may help. False for a failure a second call cannot
    /// change (a refused connection, a host name that does not resolve): the chain moves on at once.</summary>
    public bool Retryable { get; init; } = true;
}
