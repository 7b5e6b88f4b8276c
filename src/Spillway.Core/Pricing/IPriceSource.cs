using Spillway.Core.Providers;

namespace Spillway.Core.Pricing;

/// <summary>
/// Prices that are learnt at run time rather than shipped (OpenRouter's model catalog). Asked on every lookup, so it
/// may change under a running gateway; the config's <c>pricing:</c> still wins over it.
/// </summary>
public interface IPriceSource
{
    /// <summary>The price of <paramref name="model"/> on <paramref name="provider"/>, or null when this source has none.</summary>
    ModelPrice? Find(ProviderConfig provider, string model);
}
