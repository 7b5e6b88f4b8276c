using System.Net;
using Spillway.Core.Budgets;
using Spillway.Core.Codecs.OpenAI;
using Spillway.Core.Configuration;
using Spillway.Core.Engine;
using Spillway.Core.Providers;
using static Spillway.Core.Tests.Engine.EngineHarness;

namespace Spillway.Core.Tests.Engine;

/// <summary>
/// Admission through the engine: a cooled key, an open breaker, a spent quota and a client's budget each skip a
/// step without a call, and whatever an admitted step held is settled or given back.
/// </summary>
public sealed class AdmissionTests
{
    private static readonly RouteStep B = Step(Provider("b"));
    private static readonly PriceOverride PaidPrice = new("p/m", Input: 100m, Output: 200m);

    private static HttpResponseMessage Served() => Answers.Json(HttpStatusCode.OK, OpenAICompletion());

    private static HttpResponseMessage ServerError() =>
        Answers.Json(HttpStatusCode.InternalServerError, """{"error":{"message":"boom","type":"server_error"}}""");

    private static HttpResponseMessage RateLimited(int retryAfterSeconds) => Answers.Json(
        HttpStatusCode.TooManyRequests,
        """{"error":{"message":"Rate limit reached for requests","type":"requests","code":"rate_limit_exceeded"}}""",
        ("retry-after", retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public async Task CooledKey_SkippedWithoutACallUntilTheFakeClockPassesItsReset()
    {
        using var harness = new EngineHarness();
        var a = Step(Provider("a"));
        harness.Upstream.Enqueue("a", () => RateLimited(30));
        harness.Upstream.Default("b", Served);

        await harness.ServeAsync(harness.Call(stream: false, a, B));
        harness.Time.Advance(TimeSpan.FromSeconds(29));
        await harness.ServeAsync(harness.Call(stream: false, a, B));

        Assert.Equal(["skipped_cooldown", "ok"], harness.Outcomes());
        Assert.Equal(1, harness.Upstream.CallsTo("a"));

        harness.Time.Advance(TimeSpan.FromSeconds(2));
        harness.Upstream.Enqueue("a", Served);
        var after = await harness.ServeAsync(harness.Call(stream: false, a, B));

        Assert.Equal("a/m", after.Headers[SpillwayHeaders.Route]);
        Assert.Equal(2, harness.Upstream.CallsTo("a"));
    }

    [Fact]
    public async Task Breaker_OpensAfterNFailures_SkipsWithoutACall_ThenOneProbeAfterTheOpenTimeClosesIt()
    {
        using var harness = new EngineHarness(breaker: new BreakerConfig(2, TimeSpan.FromSeconds(30)));
        var a = Step(Provider("a"));
        harness.Upstream.Default("b", Served);
        harness.Upstream.Enqueue("a", ServerError);
        harness.Upstream.Enqueue("a", ServerError);

        await harness.ServeAsync(harness.Call(stream: false, a, B));
        Assert.Equal(["server_error", "server_error", "ok"], harness.Outcomes());

        await harness.ServeAsync(harness.Call(stream: false, a, B));
        Assert.Equal(["skipped_breaker", "ok"], harness.Outcomes());
        Assert.Equal(2, harness.Upstream.CallsTo("a"));

        harness.Time.Advance(TimeSpan.FromSeconds(30));
        harness.Upstream.Enqueue("a", Served);
        harness.Upstream.Enqueue("a", Served);
        var probe = await harness.ServeAsync(harness.Call(stream: false, a, B));
        var closed = await harness.ServeAsync(harness.Call(stream: false, a, B));

        Assert.Equal("a/m", probe.Headers[SpillwayHeaders.Route]);
        Assert.Equal("a/m", closed.Headers[SpillwayHeaders.Route]);
        Assert.Equal(4, harness.Upstream.CallsTo("a"));
        Assert.Contains(harness.Log.Records, r => r.EventId.Id == 110);
    }

    [Fact]
    public async Task KnownRpm_SpentKey_SkippedForQuotaWithoutACall()
    {
        using var harness = new EngineHarness();
        var a = Step(Provider("a", limits: new KeyLimits(Rpm: 1)));
        harness.Upstream.Default("a", Served);
        harness.Upstream.Default("b", Served);

        await harness.ServeAsync(harness.Call(stream: false, a, B));
        var second = await harness.ServeAsync(harness.Call(stream: false, a, B));

        Assert.Equal("b/m", second.Headers[SpillwayHeaders.Route]);
        Assert.Equal("1", second.Headers[SpillwayHeaders.Attempts]);
        Assert.Equal(1, harness.Upstream.CallsTo("a"));
        Assert.Equal(["skipped_quota", "ok"], harness.Outcomes());
        Assert.StartsWith("rpm 0 of 1 left, needs 1; resets at 2026-03-02T10:01:00", harness.Ledger[^1].Attempts[0].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryStepOutOfQuota_429WithRetryAfterAtTheQuotaReset()
    {
        using var harness = new EngineHarness();
        var a = Step(Provider("a", limits: new KeyLimits(Rpm: 1)));
        harness.Upstream.Default("a", Served);

        await harness.ServeAsync(harness.Call(stream: false, a));
        harness.Time.Advance(TimeSpan.FromSeconds(20));
        var refused = await harness.ServeAsync(harness.Call(stream: false, a));

        Assert.Equal(429, refused.Status);
        Assert.Equal("40", refused.Headers["Retry-After"]);
        Assert.Equal(1, harness.Upstream.CallsTo("a"));
    }

    [Fact]
    public async Task RefusedCall_QuotaReservationGivenBack()
    {
        using var harness = new EngineHarness();
        var a = Step(Provider("a", limits: new KeyLimits(Rpm: 1)));
        // A bad request was not counted by the provider: the reserved request is given back.
        harness.Upstream.Enqueue("a", () => Answers.Json(
            HttpStatusCode.BadRequest, """{"error":{"message":"bad","type":"invalid_request_error"}}"""));
        harness.Upstream.Enqueue("a", Served);

        await harness.ServeAsync(harness.Call(stream: false, a));
        var next = await harness.ServeAsync(harness.Call(stream: false, a));

        Assert.Equal(200, next.Status);
        Assert.Equal(2, harness.Upstream.CallsTo("a"));
    }

    [Fact]
    public async Task HalfOpenBreakerThenQuotaSkip_TheProbeIsGivenBack()
    {
        using var harness = new EngineHarness(breaker: new BreakerConfig(1, TimeSpan.FromSeconds(30)));
        var a = Step(Provider("a", limits: new KeyLimits(Rpm: 1)));
        harness.Upstream.Default("b", Served);

        // A server error opens the breaker; the minute's one request stays counted (the provider may have served it).
        harness.Upstream.Enqueue("a", ServerError);
        harness.Upstream.Enqueue("a", ServerError);
        await harness.ServeAsync(harness.Call(stream: false, a, B));
        Assert.Equal(["server_error", "server_error", "ok"], harness.Outcomes());

        // Half-open: the breaker admits this request as its probe, then the quota refuses the key.
        harness.Time.Advance(TimeSpan.FromSeconds(30));
        await harness.ServeAsync(harness.Call(stream: false, a, B));
        Assert.Equal(["skipped_quota", "ok"], harness.Outcomes());

        // The probe was given back: another request may probe now, with no wait for the probe to expire.
        var admission = await harness.Health.Breakers.TryAdmitAsync("a/m", CancellationToken.None);
        Assert.True(admission.Admitted, admission.Refusal);
    }

    [Fact]
    public async Task Budget_TooSmallForAPaidCall_SkippedWithoutACallAndTheFreeStepServes()
    {
        using var harness = new EngineHarness(prices: PaidPrice);
        var paid = Step(Provider("p", tier: KeyTier.Paid));
        harness.Upstream.Default("b", Served);

        var response = await harness.ServeAsync(Budgeted(harness, 0.001m, paid, B));

        Assert.Equal("b/m", response.Headers[SpillwayHeaders.Route]);
        Assert.Equal(0, harness.Upstream.CallsTo("p"));
        Assert.Equal(["skipped_budget", "ok"], harness.Outcomes());
        Assert.StartsWith("daily budget $0.001", harness.Ledger[^1].Attempts[0].Detail, StringComparison.Ordinal);
        Assert.Equal(0m, harness.Budgets.StatusOf(ClientId).Held);
    }

    [Fact]
    public async Task Budget_OnlyPaidSteps_402WithRetryAfterAtTheNextDay()
    {
        using var harness = new EngineHarness(prices: PaidPrice);
        var paid = Step(Provider("p", tier: KeyTier.Paid));

        var response = await harness.ServeAsync(Budgeted(harness, 0.001m, paid));

        Assert.Equal(402, response.Status);
        Assert.Equal(((long)(Start.Date.AddDays(1) - Start.UtcDateTime).TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture), response.Headers["Retry-After"]);
    }

    [Fact]
    public async Task Budget_ServedPaidCall_SettlesWithTheRealCost()
    {
        using var harness = new EngineHarness(prices: PaidPrice);
        var paid = Step(Provider("p", tier: KeyTier.Paid));
        harness.Upstream.Enqueue("p", Served);

        await harness.ServeAsync(Budgeted(harness, 5m, paid));

        // 20 input × $100 + 18 output × $200 per million tokens.
        var status = harness.Budgets.StatusOf(ClientId);
        Assert.Equal(0.0056m, harness.Ledger[^1].CostUsd);
        Assert.Equal(0.0056m, status.SpentToday);
        Assert.Equal(0m, status.Held);
    }

    [Fact]
    public async Task Budget_HeldThenTheBreakerSkips_TheHoldIsGivenBack()
    {
        using var harness = new EngineHarness(breaker: new BreakerConfig(1, TimeSpan.FromMinutes(5)), prices: PaidPrice);
        var paid = Step(Provider("p", tier: KeyTier.Paid));
        harness.Upstream.Default("p", ServerError);
        harness.Upstream.Default("b", Served);

        await harness.ServeAsync(Budgeted(harness, 5m, paid, B));
        await harness.ServeAsync(Budgeted(harness, 5m, paid, B));

        Assert.Equal(["skipped_breaker", "ok"], harness.Outcomes());
        var status = harness.Budgets.StatusOf(ClientId);
        Assert.Equal(0m, status.Held);
        Assert.Equal(0m, status.SpentToday);
    }

    [Fact]
    public async Task Budget_FailedCallThenRetry_EachCallHeldAndGivenBack()
    {
        using var harness = new EngineHarness(prices: PaidPrice);
        var paid = Step(Provider("p", tier: KeyTier.Paid));
        harness.Upstream.Enqueue("p", ServerError);
        harness.Upstream.Enqueue("p", Served);

        var response = await harness.ServeAsync(Budgeted(harness, 5m, paid));

        Assert.Equal("2", response.Headers[SpillwayHeaders.Attempts]);
        var status = harness.Budgets.StatusOf(ClientId);
        Assert.Equal(0.0056m, status.SpentToday);
        Assert.Equal(0m, status.Held);
    }

    [Fact]
    public async Task Budget_RetryNotAdmittedByTheBudget_MovesOnWithoutTheRetry()
    {
        using var harness = new EngineHarness(prices: PaidPrice);
        var paid = Step(Provider("p", tier: KeyTier.Paid));
        harness.Upstream.Default("p", () => Answers.Json(
            HttpStatusCode.InternalServerError, """{"error":{"message":"boom","type":"server_error"}}"""));
        harness.Upstream.Default("b", Served);
        // The first call is admitted; by its retry another request of the same client has spent most of the budget.
        var call = Budgeted(harness, 0.02m, paid, B);
        harness.Upstream.Enqueue("p", () =>
        {
            var other = harness.Budgets.TryReserve(call.Budget!, 0.001m).Reservation;
            Assert.NotNull(other);
            harness.Budgets.Settle(other, 0.015m);
            return ServerError();
        });

        await harness.ServeAsync(call);

        Assert.Equal(["server_error", "skipped_budget", "ok"], harness.Outcomes());
        Assert.Equal(1, harness.Upstream.CallsTo("p"));
    }

    private static ChatCall Budgeted(EngineHarness harness, decimal dailyUsd, params RouteStep[] steps) =>
        harness.Call(OpenAIClientFormat.Instance, stream: false, new ClientBudget(ClientId, dailyUsd, null), steps);
}
