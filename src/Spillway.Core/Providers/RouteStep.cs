namespace Spillway.Core.Providers;

/// <summary>One step of a plan: a route called with one of its provider's keys.</summary>
public sealed record RouteStep(ProviderConfig Provider, string Model, KeyConfig Key)
{
    public string Route { get; } = Provider.Id + "/" + Model;

    /// <summary>The model id sent upstream (usually <see cref="Model"/> itself).</summary>
    public string UpstreamModel { get; } = Provider.UpstreamModels.GetValueOrDefault(Model, Model);
}
