namespace Spillway.Core.Planning;

/// <summary>What the planner is asked to route.</summary>
/// <param name="Model">The alias or <c>provider/model</c> route the client named, if any.</param>
/// <param name="Models">An ad-hoc <c>models</c> chain after it (OpenAI clients).</param>
/// <param name="Policy">What the caller allows (paid keys, training providers).</param>
/// <param name="Needs">What the request asks of a route.</param>
public sealed record PlanRequest(string? Model, IReadOnlyList<string> Models, RequestPolicy Policy, RequestNeeds Needs)
{
    /// <summary>A plain request for one name, as the default policy allows.</summary>
    public static PlanRequest For(string? model, IReadOnlyList<string>? models = null) =>
        new(model, models ?? [], RequestPolicy.Default, RequestNeeds.None);
}
