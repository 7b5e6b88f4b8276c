using Spillway.Core.Configuration;

namespace Spillway.Core.Pricing;

/// <summary>
/// The list prices that hold for a config: the bundled table (<c>prices.yaml</c>) under each provider's preset, a
/// live source such as the OpenRouter catalog over it, and the config's <c>pricing:</c> entries over both.
/// </summary>
public static class PriceTable
{
    public static PriceBook For(SpillwayConfig config, IPriceSource? live = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new PriceBook(config.Pricing, config.Providers, live);
    }
}
