using Spillway.Core.Chat;
using Spillway.Core.Configuration;
using Spillway.Core.Ledger;

namespace Spillway.Core.Tests.Ledger;

public class PriceBookTests
{
    private const string Groq = "groq/llama-3.3-70b-versatile";
    private const string Claude = "anthropic/claude-sonnet-4";

    private static readonly PriceBook Prices = new(
    [
        new PriceOverride(Groq, Input: 0.59m, Output: 0.79m),
        new PriceOverride(Claude, Input: 3m, Output: 15m, CachedInput: 0.3m),
    ]);

    [Fact]
    public void Cost_FreeTier_ZeroEvenWithoutPriceOrUsage()
    {
        Assert.Equal(0m, Prices.Cost(Groq, KeyTier.Free, new TokenUsage(1000, 1000)));
        Assert.Equal(0m, Prices.Cost("unpriced/model", KeyTier.Free, new TokenUsage(1000, 1000)));
        Assert.Equal(0m, Prices.Cost(Groq, KeyTier.Free, null));
    }

    [Fact]
    public void Cost_PaidRouteWithoutPrice_Null()
    {
        Assert.Null(Prices.Cost("unpriced/model", KeyTier.Paid, new TokenUsage(1000, 1000)));
    }

    [Fact]
    public void Cost_PaidNullUsage_Null()
    {
        Assert.Null(Prices.Cost(Groq, KeyTier.Paid, null));
    }

    [Fact]
    public void Cost_PaidWithPrice_ExactDecimal()
    {
        // (1234 × 0.59 + 567 × 0.79) / 1e6 = (728.06 + 447.93) / 1e6
        Assert.Equal(0.00117599m, Prices.Cost(Groq, KeyTier.Paid, new TokenUsage(1234, 567)));
    }

    [Fact]
    public void Cost_CachedInputWithCachedPrice_CachedTokensAtCachedPrice()
    {
        // 6000 uncached × 3 + 4000 cached × 0.3 + 500 out × 15 = 18000 + 1200 + 7500
        var cost = Prices.Cost(Claude, KeyTier.Paid, new TokenUsage(10_000, 500, CachedInputTokens: 4000));

        Assert.Equal(0.0267m, cost);
    }

    [Fact]
    public void Cost_CachedInputWithoutCachedPrice_CachedTokensAtInputPrice()
    {
        // 10000 in × 0.59 + 500 out × 0.79 = 5900 + 395
        var cost = Prices.Cost(Groq, KeyTier.Paid, new TokenUsage(10_000, 500, CachedInputTokens: 4000));

        Assert.Equal(0.006295m, cost);
    }

    [Fact]
    public void Cost_CachedMoreThanInput_CappedAtInput()
    {
        // All 10000 input tokens at the cached price: 10000 × 0.3 + 500 × 15 = 3000 + 7500
        var cost = Prices.Cost(Claude, KeyTier.Paid, new TokenUsage(10_000, 500, CachedInputTokens: 25_000));

        Assert.Equal(0.0105m, cost);
    }

    [Fact]
    public void Cost_ReasoningTokens_NotChargedTwice()
    {
        // Reasoning is part of the output count already.
        var cost = Prices.Cost(Claude, KeyTier.Paid, new TokenUsage(0, 1000, ReasoningTokens: 800));

        Assert.Equal(0.015m, cost);
    }

    [Fact]
    public void Cost_LargeUsage_NoBinaryRounding()
    {
        var cost = Prices.Cost(Groq, KeyTier.Paid, new TokenUsage(123_456_789, 987_654_321));

        // 123456789 × 0.59 + 987654321 × 0.79 = 72839505.51 + 780246913.59 = 853086419.10
        Assert.Equal(853.0864191m, cost);
    }

    [Fact]
    public void Find_RouteIsMatchedExactly()
    {
        Assert.Equal(0.3m, Prices.Find(Claude)!.CachedInput);
        Assert.Null(Prices.Find("GROQ/llama-3.3-70b-versatile"));
        Assert.Null(Prices.Find("groq"));
        Assert.Null(PriceBook.Empty.Find(Groq));
    }
}
