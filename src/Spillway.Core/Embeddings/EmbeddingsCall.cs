using Spillway.Core.Budgets;
using Spillway.Core.Codecs;
using Spillway.Core.Engine;
using Spillway.Core.Planning;
using Spillway.Core.Providers;
using Spillway.Core.Tokens;

namespace Spillway.Core.Embeddings;

/// <summary>Everything the embeddings path needs about one <c>POST /v1/embeddings</c>, read once at the door.</summary>
public sealed class EmbeddingsCall : IAdmittedCall
{
    /// <summary>What the ledger's <c>client_format</c> says of an embeddings request.</summary>
    public const string ClientFormat = "openai-embeddings";

    public required string RequestId { get; init; }

    /// <summary>The sniffed body.</summary>
    public required EmbeddingsRequest Request { get; init; }

    /// <summary>The alias or route the client named.</summary>
    public required string RequestedModel { get; init; }

    public required RoutePlan Plan { get; init; }

    public required TimeoutsConfig Timeouts { get; init; }

    public string? ClientId { get; init; }

    /// <summary>The client's spending limits; null when it has none.</summary>
    public ClientBudget? Budget { get; init; }

    /// <summary>When the request arrived (the ledger's time).</summary>
    public required DateTimeOffset ReceivedAt { get; init; }

    /// <summary><see cref="TimeProvider.GetTimestamp"/> when the request arrived.</summary>
    public required long ReceivedTimestamp { get; init; }

    /// <summary>An embeddings answer is one JSON body, never a stream.</summary>
    public bool Stream => false;

    long IAdmittedCall.QuotaTokens(RouteStep step, RequestState state) => InputTokens(state);

    /// <summary>Embeddings bill input only; a fifth is added, as for chat, for tokenizers other than o200k.</summary>
    (long Input, long Output) IAdmittedCall.BudgetTokens(RouteStep step, RequestState state)
    {
        var input = InputTokens(state);
        return (input + (input / 5), 0);
    }

    /// <summary>
    /// The input's tokens, counted once per request: the token ids themselves for token input, else o200k over the
    /// texts. Also the usage of a Gemini call, whose answer reports none.
    /// </summary>
    internal long InputTokens(RequestState state)
    {
        state.EstimatedInputTokens ??= Request.IsTokenInput ? Request.TokenIdCount : Request.Texts().Sum(t => (long)LocalTokenCounter.CountText(t));
        return state.EstimatedInputTokens.Value;
    }
}
