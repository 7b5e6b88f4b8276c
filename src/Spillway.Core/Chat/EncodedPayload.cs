namespace Spillway.Core.Chat;

/// <summary>What an encoder produced: the body, the headers it needs, and the hints it had to leave out.</summary>
/// <param name="Body">The JSON body.</param>
/// <param name="DroppedHints">
/// The names of vendor hints and parts the target format cannot carry and that were left out (each once, in order
/// of first sight), for the ledger. Only what does not change the answer is ever dropped; anything else is refused.
/// </param>
public sealed record EncodedPayload(byte[] Body, IReadOnlyList<string> DroppedHints)
{
    /// <summary>Request headers the body needs, such as <c>anthropic-beta</c>.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];
}
