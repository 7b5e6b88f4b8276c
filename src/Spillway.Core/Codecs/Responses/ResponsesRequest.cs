using Spillway.Core.Chat;

namespace Spillway.Core.Codecs.Responses;

/// <summary>
/// An OpenAI Responses request as decoded: the canonical request, and the Responses-only fields the endpoint acts on
/// itself (stored conversation state has no canonical home).
/// </summary>
/// <param name="Chat">The canonical request.</param>
public sealed record ResponsesRequest(ChatRequest Chat)
{
    /// <summary>
    /// <c>previous_response_id</c>, or null. The door resolves it from the stored responses and decodes the request
    /// again after that conversation (<see cref="ResponsesRequestDecoder.Decode(ReadOnlyMemory{byte}, ReadOnlyMemory{byte})"/>);
    /// left unresolved in the request it is a must-honor extension every upstream encoder refuses.
    /// </summary>
    public string? PreviousResponseId { get; init; }

    /// <summary><c>store</c> as the client sent it, or null (OpenAI's default is true).</summary>
    public bool? Store { get; init; }

    /// <summary>The <c>include</c> list (<c>reasoning.encrypted_content</c>, …), empty when absent.</summary>
    public IReadOnlyList<string> Include { get; init; } = [];

    /// <summary>What the decoder left out (built-in tools, reasoning input items), each name once.</summary>
    public IReadOnlyList<string> DroppedHints { get; init; } = [];
}
