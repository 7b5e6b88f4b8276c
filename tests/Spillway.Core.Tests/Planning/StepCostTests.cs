using static Spillway.Core.Tests.Planning.PlannerFixtures;
using Spillway.Core.Configuration;
using Spillway.Core.Planning;
using Spillway.Core.Pricing;
using Spillway.Core.Providers;

namespace Spillway.Core.Tests.Planning;

public class StepCostTests
{
    private static readonly PriceBook Prices = new([new PriceOverride("p/m", Input: 2m, Output: 8m)]);

    private static RouteStep Step(KeyTier tier, string model = "m") => new(Provider("p"), model, Key("k", tier));

    [Fact]
    public void Estimate_FreeKey_Zero()
    {
        Assert.Equal(0m, StepCost.Estimate(Step(KeyTier.Free), RequestNeeds.None, Prices));
    }

    [Fact]
    public void Estimate_PaidUnpricedRoute_Null()
    {
        Assert.Null(StepCost.Estimate(Step(KeyTier.Paid, "other"), RequestNeeds.None, Prices));
    }

    [Fact]
    public void Estimate_NoOutputCap_InputPlusTypicalOutput()
    {
        var needs = new RequestNeeds(false, false, false, InputTokens: 5_000, MaxOutputTokens: null);

        // 5,000 × $2/M + 1,000 × $8/M
        Assert.Equal(0.018m, StepCost.Estimate(Step(KeyTier.Paid), needs, Prices));
    }

    [Theory]
    [InlineData(200L, 0.0116)]
    [InlineData(32_000L, 0.018)]
    public void Estimate_OutputCap_SmallerOfCapAndTypical(long cap, double expected)
    {
        var needs = new RequestNeeds(false, false, false, InputTokens: 5_000, MaxOutputTokens: cap);

        Assert.Equal((decimal)expected, StepCost.Estimate(Step(KeyTier.Paid), needs, Prices));
    }
}
