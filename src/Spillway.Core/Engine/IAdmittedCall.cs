using Spillway.Core.Budgets;
using Spillway.Core.Providers;

namespace Spillway.Core.Engine;

/// <summary>
/// What <see cref="Admission"/> and its <see cref="AdmissionLease"/> need to know of a request, whatever kind it is:
/// a chat call (<see cref="ChatCall"/>) or an embeddings call (<c>Embeddings/EmbeddingsCall</c>). Each kind says how
/// many tokens it is expected to use; the holds, the breaker and the settling are the same for both.
/// </summary>
internal interface IAdmittedCall
{
    /// <summary>The client's spending limits; null when it has none (every paid call is then admitted).</summary>
    ClientBudget? Budget { get; }

    /// <summary>True when the answer is streamed (its speed is then measured to the first event, not the whole).</summary>
    bool Stream { get; }

    /// <summary><see cref="TimeProvider.GetTimestamp"/> when the request arrived.</summary>
    long ReceivedTimestamp { get; }

    /// <summary>The tokens a key's token quota must take for this request on <paramref name="step"/>.</summary>
    long QuotaTokens(RouteStep step, RequestState state);

    /// <summary>The input and output a budget must be able to pay for on <paramref name="step"/>.</summary>
    (long Input, long Output) BudgetTokens(RouteStep step, RequestState state);
}
