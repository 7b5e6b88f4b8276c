namespace Spillway.Core.Counting;

/// <summary>The answer to a <c>count_tokens</c> request, ready to send as an Anthropic-format JSON body.</summary>
/// <param name="Status">200, or the status of an upstream's refusal of the request itself (400, 413).</param>
/// <param name="Body">The JSON body: an Anthropic upstream's answer as it came, else <c>{"input_tokens": N}</c>.</param>
/// <param name="Route">The <c>provider/model</c> whose upstream counted, or null for the local count.</param>
/// <param name="UpstreamCalls">How many upstream count calls were made.</param>
public sealed record TokenCountResult(int Status, byte[] Body, string? Route, int UpstreamCalls)
{
    /// <summary>The count, when <see cref="Status"/> is 200.</summary>
    public long? InputTokens { get; init; }

    /// <summary>The routes whose upstream was asked to count, in order (for <c>x-spillway-tried</c>).</summary>
    public IReadOnlyList<string> Tried { get; init; } = [];
}
