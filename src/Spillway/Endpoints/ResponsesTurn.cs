namespace Spillway.Endpoints;

/// <summary>
/// What a Responses request asks of the stored responses: to be kept (<c>store</c>, true unless the client says
/// false), to continue a stored one (<c>previous_response_id</c>), or both. Made only for such requests: one with
/// <c>store: false</c> and no <c>previous_response_id</c> (Codex's) has none and costs nothing more.
/// </summary>
/// <param name="PreviousResponseId">The response this one continues, or null.</param>
/// <param name="Store">True when the answer is to be kept.</param>
internal sealed record ResponsesTurn(string? PreviousResponseId, bool Store)
{
    /// <summary>
    /// Once the previous response is found: the conversation it ended (its input and output items, a JSON array),
    /// which this turn's own input follows.
    /// </summary>
    public ReadOnlyMemory<byte> History { get; init; }
}
