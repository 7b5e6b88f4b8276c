using Spillway.Core.Chat;
using Spillway.Core.Planning;
using Spillway.Core.Providers;

namespace Spillway.Core.Counting;

/// <summary>An Anthropic <c>count_tokens</c> request, read and planned.</summary>
public sealed record TokenCountRequest
{
    /// <summary>The client's body as it came, forwarded (with the route's model) to Anthropic-format upstreams.</summary>
    public required ReadOnlyMemory<byte> Body { get; init; }

    /// <summary>The body decoded, for Gemini's countTokens and the local count.</summary>
    public required ChatRequest Decoded { get; init; }

    public required RoutePlan Plan { get; init; }

    /// <summary>The config-wide timeouts (a provider's own win).</summary>
    public required TimeoutsConfig Timeouts { get; init; }

    /// <summary>The client's <c>anthropic-version</c> header, or null for the default.</summary>
    public string? AnthropicVersion { get; init; }

    /// <summary>The client's <c>anthropic-beta</c> header, or null.</summary>
    public string? AnthropicBeta { get; init; }
}
