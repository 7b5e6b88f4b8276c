using Spillway.Core.Codecs;
using Spillway.Core.Providers;

namespace Spillway.Core.Engine;

/// <summary>How one continuation call goes on with a client's broken stream.</summary>
/// <param name="Encoder">Writes the client's events, already where the client's stream stands.</param>
/// <param name="Prefill">The text sent to the upstream as the assistant prefill; null when it is asked for the
/// whole answer (it takes no prefill, refused one, or the client has no text yet).</param>
/// <param name="AlreadySent">The client's text the continuation's text may (prefill: the whitespace the prefill left
/// off) or must (whole answer) begin with.</param>
/// <param name="SentChars">How many characters of text the client has.</param>
internal sealed record ContinuationPlan(IChatStreamEncoder Encoder, string? Prefill, string AlreadySent, int SentChars)
{
    /// <summary>True when the upstream answers afresh and its text is spliced on only if it begins with <see cref="AlreadySent"/>.</summary>
    public bool Regenerates => Prefill is null;

    /// <summary>The relay for this call's stream.</summary>
    public ContinuationRelay CreateRelay(IUpstreamStreamDecoder decoder, StreamTranscript transcript) =>
        new(decoder, Encoder, transcript, AlreadySent, mustMatch: Regenerates);

    /// <summary>The ledger note of the call that went on with the answer.</summary>
    public string Note(RouteStep step, IReadOnlyList<string> dropped)
    {
        var how = !Regenerates ? " (prefill)" : SentChars == 0 ? "" : " (answer regenerated and spliced)";
        var note = $"continued on {step.Route} after {SentChars} chars{how}";
        return dropped.Count == 0 ? note : note + "; dropped: " + string.Join(", ", dropped);
    }
}
