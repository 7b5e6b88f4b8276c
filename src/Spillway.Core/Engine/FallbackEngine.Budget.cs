using Spillway.Core.Budgets;
using Spillway.Core.Configuration;
using Spillway.Core.Ledger;
using Spillway.Core.Providers;

namespace Spillway.Core.Engine;

/// <summary>
/// Client budgets (design.md §1 step 3): before a paid call the client's budget must take the call's estimated
/// cost, which is held until the call settles with its real cost, else the step is skipped as <c>skipped_budget</c>
/// with no call. Free-tier keys cost nothing and are never held back by a budget.
/// </summary>
/// <remarks>
/// The estimate is meant as a ceiling, so concurrent requests cannot overshoot: the input counted with o200k plus
/// a fifth for other tokenizers, and the output the client allowed (within the model's limit), or the model's
/// limit, or <see cref="UncappedOutputTokens"/> when neither is known.
/// </remarks>
public sealed partial class FallbackEngine
{
    /// <summary>The output assumed for a budget when neither the client nor the model bounds it.</summary>
    internal const long UncappedOutputTokens = 8_192;

    // Temporary: the engine's admission is being rewritten to take its BudgetBook from the caller; until then this
    // default is the one real-clock read in Core (BannedSymbols.txt). Remove the suppression with that change.
#pragma warning disable RS0030
    internal BudgetBook Budgets { get; init; } = new(TimeProvider.System);
#pragma warning restore RS0030

    private bool SkipForBudget(ChatCall call, RouteStep step, RequestState state)
    {
        if (call.Budget is not { } budget || step.Key.Tier == KeyTier.Free)
        {
            return false;
        }

        var (input, output) = BudgetTokens(call, step, state);
        if (_costs.Estimate(step, input, output) is not { } estimate)
        {
            state.Attempts.Add(new AttemptRecord(step.Route, step.Key.Id, null, Outcomes.SkippedBudget, 0,
                "no known price for this route, so the client's budget cannot be kept on it"));
            return true;
        }

        var decision = Budgets.TryReserve(budget, estimate);
        if (decision.Reservation is { } held)
        {
            state.BudgetHeld = held;
            return false;
        }

        state.Attempts.Add(new AttemptRecord(step.Route, step.Key.Id, null, Outcomes.SkippedBudget, 0, decision.Describe()));
        state.BudgetRecoversAt = state.BudgetRecoversAt is { } soonest && soonest < decision.ResetAt ? soonest : decision.ResetAt;
        return true;
    }

    /// <summary>A served call spends its real cost (its estimate when the cost is unknown); anything else gives the hold back.</summary>
    private void SettleBudget(RequestState state, StepResult result)
    {
        if (state.BudgetHeld is not { } held)
        {
            return;
        }

        state.BudgetHeld = null;
        if (result.End == StepEnd.Failed)
        {
            Budgets.Release(held);
            return;
        }

        // A stream the client left, or one that broke after it began, was still billed for what it produced.
        Budgets.Settle(held, state.CostUsd ?? held.Amount);
    }

    /// <summary>Gives back a hold for a step that was skipped after its budget was admitted (quota, breaker).</summary>
    private void ReleaseBudget(RequestState state)
    {
        if (state.BudgetHeld is { } held)
        {
            state.BudgetHeld = null;
            Budgets.Release(held);
        }
    }

    private static (long Input, long Output) BudgetTokens(ChatCall call, RouteStep step, RequestState state)
    {
        var input = InputTokens(call, state);
        var output = AllowedOutputTokens(call, step) ?? step.Provider.MaxOutputTokensOf(step.Model) ?? UncappedOutputTokens;
        return (input + (input / 5), output);
    }
}
