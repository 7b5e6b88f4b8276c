using Spillway.Core.Budgets;
using Spillway.Core.Codecs;
using Spillway.Core.Planning;
using Spillway.Core.Providers;

namespace Spillway.Core.Engine;

/// <summary>Everything the engine needs about one client request, read once at the door.</summary>
public sealed class ChatCall : IAdmittedCall
{
    public required string RequestId { get; init; }

    /// <summary>What the client sent and in which format: the part the codecs read.</summary>
    public required InboundRequest Inbound { get; init; }

    /// <summary>The alias or route the client named (or the first of its <c>models</c>).</summary>
    public required string RequestedModel { get; init; }

    public required RoutePlan Plan { get; init; }

    public required TimeoutsConfig Timeouts { get; init; }

    public string? ClientId { get; init; }

    /// <summary>The client's spending limits; null when it has none (every paid call is then admitted).</summary>
    public ClientBudget? Budget { get; init; }

    /// <summary><see cref="TimeProvider.GetTimestamp"/> when the request arrived.</summary>
    public required long ReceivedTimestamp { get; init; }

    /// <summary>The API the client speaks.</summary>
    public IClientFormat Client => Inbound.Client;

    /// <summary>True when the client asked for a streamed answer.</summary>
    public bool Stream => Inbound.Stream;

    long IAdmittedCall.QuotaTokens(RouteStep step, RequestState state) => AdmissionEstimate.QuotaTokens(this, step, state);

    (long Input, long Output) IAdmittedCall.BudgetTokens(RouteStep step, RequestState state) => AdmissionEstimate.BudgetTokens(this, step, state);
}
