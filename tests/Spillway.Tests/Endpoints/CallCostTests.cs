using System.Globalization;
using System.Text.Json;
using Spillway.Core.Configuration;
using Spillway.Simulator;
using Spillway.Tests.Support;

namespace Spillway.Tests.Endpoints;

/// <summary>The true cost of every call, in the header and the ledger, and what the free tiers saved.</summary>
public sealed class CallCostTests
{
    // gpt-4o-mini's list price, USD per million tokens.
    private static readonly PriceOverride MiniPrice = new("openai/gpt-4o-mini", 0.15m, 0.60m, 0.075m);

    private static Task<TestGateway> StartAsync(params SimulatedProvider[] providers) =>
        TestGateway.StartAsync(providers, (_, config) => config with { Pricing = [MiniPrice] });

    [Fact]
    public async Task PaidCall_ExactCostInTheHeaderAndTheLedger()
    {
        await using var gateway = await StartAsync(new SimulatedProvider("openai"));

        using var response = await gateway.ChatAsync("openai/gpt-4o-mini");
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var usage = body.RootElement.GetProperty("usage");
        var prompt = usage.GetProperty("prompt_tokens").GetInt64();
        var completion = usage.GetProperty("completion_tokens").GetInt64();

        // No cached tokens in the simulator's answer: prompt × 0.15 + completion × 0.60 per million.
        var expected = ((prompt * 0.15m) + (completion * 0.60m)) / 1_000_000m;
        Assert.True(prompt > 0 && completion > 0);
        Assert.Equal(expected, Header(response, "x-spillway-cost-usd"));
        var entry = (await gateway.LedgerAsync(1))[0];
        Assert.Equal(expected, entry.GetProperty("cost_usd").GetDecimal());
        Assert.Equal(JsonValueKind.Null, entry.GetProperty("saved_usd").ValueKind);
    }

    [Fact]
    public async Task FreeCall_ZeroCostAndItsSavingAtThePaidRouteOfTheChain()
    {
        await using var gateway = await StartAsync(new SimulatedProvider("groq", SimulatorStyle.Groq), new SimulatedProvider("openai"));

        using var response = await gateway.ChatAsync("chain");
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var usage = body.RootElement.GetProperty("usage");
        var saving = ((usage.GetProperty("prompt_tokens").GetInt64() * 0.15m) + (usage.GetProperty("completion_tokens").GetInt64() * 0.60m)) / 1_000_000m;

        Assert.Equal("groq/llama-3.3-70b-versatile", response.Headers.GetValues("x-spillway-route").Single());
        Assert.Equal("0", response.Headers.GetValues("x-spillway-cost-usd").Single());
        var entry = (await gateway.LedgerAsync(1))[0];
        Assert.Equal(0m, entry.GetProperty("cost_usd").GetDecimal());
        Assert.True(saving > 0);
        Assert.Equal(saving, entry.GetProperty("saved_usd").GetDecimal());
    }

    [Fact]
    public async Task FreeCall_ChainWithoutPaidStep_SavingAtThePricingReference()
    {
        await using var gateway = await TestGateway.StartAsync(
            [new SimulatedProvider("groq", SimulatorStyle.Groq)],
            (_, config) => config with { PricingReference = "openai/gpt-4.1-mini" });

        using var response = await gateway.ChatAsync("chain");
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var usage = body.RootElement.GetProperty("usage");

        // gpt-4.1-mini from the bundled table: 0.40 in, 1.60 out.
        var saving = ((usage.GetProperty("prompt_tokens").GetInt64() * 0.40m) + (usage.GetProperty("completion_tokens").GetInt64() * 1.60m)) / 1_000_000m;
        Assert.Equal(saving, (await gateway.LedgerAsync(1))[0].GetProperty("saved_usd").GetDecimal());
    }

    [Fact]
    public async Task PaidStreamedCall_CostInTheLedgerOnly()
    {
        await using var gateway = await StartAsync(new SimulatedProvider("openai"));

        using var response = await gateway.ChatAsync("openai/gpt-4o-mini", stream: true, includeUsage: true);
        await response.Content.ReadAsStringAsync();

        Assert.False(response.Headers.Contains("x-spillway-cost-usd"));
        var entry = (await gateway.LedgerAsync(1))[0];
        var usage = entry.GetProperty("usage");
        var expected = ((usage.GetProperty("input_tokens").GetInt64() * 0.15m) + (usage.GetProperty("output_tokens").GetInt64() * 0.60m)) / 1_000_000m;
        Assert.Equal(expected, entry.GetProperty("cost_usd").GetDecimal());
    }

    [Fact]
    public async Task PaidCallWithoutPrice_UnpricedNotZero()
    {
        await using var gateway = await TestGateway.StartAsync([new SimulatedProvider("openai")]);

        using var response = await gateway.ChatAsync("openai/gpt-4o-mini");

        Assert.False(response.Headers.Contains("x-spillway-cost-usd"));
        Assert.Equal(JsonValueKind.Null, (await gateway.LedgerAsync(1))[0].GetProperty("cost_usd").ValueKind);
        using var usage = JsonDocument.Parse(await gateway.Http.GetStringAsync("/admin/usage"));
        var unpriced = Assert.Single(usage.RootElement.GetProperty("unpriced_since_start").EnumerateArray());
        Assert.Equal("openai/gpt-4o-mini", unpriced.GetProperty("route").GetString());
        Assert.Equal(1, unpriced.GetProperty("calls").GetInt64());
    }

    [Fact]
    public async Task FailedAttempt_NotBilled_OnlyTheCallThatServed()
    {
        await using var gateway = await StartAsync(new SimulatedProvider("openai"), new SimulatedProvider("groq", SimulatorStyle.Groq));
        gateway["openai"].Enqueue(SimulatedFault.QuotaExhausted());

        using var response = await gateway.ChatAsync("chain");

        Assert.Equal("groq/llama-3.3-70b-versatile", response.Headers.GetValues("x-spillway-route").Single());
        Assert.Equal("0", response.Headers.GetValues("x-spillway-cost-usd").Single());
    }

    private static decimal Header(HttpResponseMessage response, string name) =>
        decimal.Parse(response.Headers.GetValues(name).Single(), NumberStyles.Number, CultureInfo.InvariantCulture);
}
