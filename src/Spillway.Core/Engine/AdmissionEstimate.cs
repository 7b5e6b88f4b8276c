using Spillway.Core.Chat;
using Spillway.Core.Providers;
using Spillway.Core.Tokens;

namespace Spillway.Core.Engine;

/// <summary>
/// What a request is expected to use before it is sent: the one token estimate quota and budget admission share.
/// </summary>
/// <remarks>
/// Quota: tokens are estimated only for a scope with a token quota (configured, learned or stated by headers), so
/// the pass-through hot path of a key without one never runs the tokenizer. The estimate is the input plus the
/// output cap the client asked for, within the model's output limit: providers such as Groq and Cerebras count the
/// cap against the token limit up front.
/// Budget: the estimate is meant as a ceiling, so concurrent requests cannot overshoot: the input plus a fifth for
/// other tokenizers, and the output the client allowed (within the model's limit), or the model's limit, or
/// <see cref="UncappedOutputTokens"/> when neither is known.
/// </remarks>
internal static class AdmissionEstimate
{
    /// <summary>The output assumed for a budget when neither the client nor the model bounds it.</summary>
    public const long UncappedOutputTokens = 8_192;

    /// <summary>The tokens a key's token quota must take for this request.</summary>
    public static long QuotaTokens(ChatCall call, RouteStep step, RequestState state) =>
        InputTokens(call, state) + (AllowedOutputTokens(call, step) ?? 0);

    /// <summary>The input and output a budget must be able to pay for.</summary>
    public static (long Input, long Output) BudgetTokens(ChatCall call, RouteStep step, RequestState state)
    {
        var input = InputTokens(call, state);
        var output = AllowedOutputTokens(call, step) ?? step.Provider.MaxOutputTokensOf(step.Model) ?? UncappedOutputTokens;
        return (input + (input / 5), output);
    }

    /// <summary>
    /// The usage of a call whose stream broke: what it reported, with input it did not report estimated from the
    /// request and output it did not report counted from the text it sent.
    /// </summary>
    public static TokenUsage BrokenCall(ChatCall call, RequestState state, TokenUsage? reported, ReadOnlySpan<char> textSent)
    {
        var usage = reported ?? default;
        if (usage.InputTokens == 0)
        {
            usage = usage with { InputTokens = InputTokens(call, state) };
        }

        if (usage.OutputTokens == 0 && !textSent.IsEmpty)
        {
            usage = usage with { OutputTokens = LocalTokenCounter.CountText(textSent.ToString()) };
        }

        return usage;
    }

    /// <summary>
    /// The request's input tokens, counted once per request: o200k over the canonical request (decoded once and
    /// shared with translation; images are not counted), or body bytes / 4 for a request the decoder refuses.
    /// </summary>
    private static long InputTokens(ChatCall call, RequestState state)
    {
        var canonical = call.Inbound.Canonical;
        state.EstimatedInputTokens ??= canonical.Error is null ? LocalTokenCounter.Count(canonical.Value) : call.Inbound.Body.Length / 4;
        return state.EstimatedInputTokens.Value;
    }

    /// <summary>The output the client allowed, within <paramref name="step"/>'s model limit; null when the client set no cap.</summary>
    private static long? AllowedOutputTokens(ChatCall call, RouteStep step)
    {
        var canonical = call.Inbound.Canonical;
        long? asked = canonical.Error is null ? canonical.Value.MaxOutputTokens : call.Inbound.Sniff?.OutputTokenLimit;
        return asked is { } cap && step.Provider.MaxOutputTokensOf(step.Model) is { } limit ? Math.Min(cap, limit) : asked;
    }
}
