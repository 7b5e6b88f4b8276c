using System.Collections.Immutable;

namespace Spillway.Core.Providers;

/// <summary>
/// What a provider does not accept of the OpenAI request body, as data (wire-facts §4):
/// top-level fields it rejects, fields it names differently, and whether it takes <c>stream_options</c>.
/// </summary>
public sealed record ParameterQuirks
{
    public static ParameterQuirks None { get; } = new();

    /// <summary>Top-level request fields removed before sending (e.g. Groq: <c>logprobs</c>, <c>logit_bias</c>).</summary>
    public ImmutableArray<string> Drop { get; init; } = [];

    /// <summary>Top-level request fields renamed before sending (e.g. Mistral: <c>seed</c> → <c>random_seed</c>).</summary>
    public ImmutableDictionary<string, string> Rename { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>False where the host rejects <c>stream_options</c>; usage then comes only if the host sends it anyway.</summary>
    public bool AcceptsStreamOptions { get; init; } = true;

    public bool IsEmpty => Drop.IsDefaultOrEmpty && Rename.IsEmpty && AcceptsStreamOptions;
}
