using Spillway.Core.Providers;

namespace Spillway.Core.Engine;

public sealed partial class FallbackEngine
{
    /// <summary>Prices the call that served: its cost and, when it was free, what it saved. Failed attempts are never priced.</summary>
    private void PriceCall(ChatCall call, RouteStep step, RequestState state)
    {
        state.CostUsd = _costs.Cost(step, state.Usage);
        state.SavedUsd = _costs.Saving(call.Plan, step, state.Usage, state.CostUsd);
    }
}
