using Microsoft.Extensions.Time.Testing;
using Spillway.Core.Budgets;

namespace Spillway.Core.Tests.Budgets;

public sealed class BudgetBookTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 27, 23, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(Start);

    private BudgetBook Book() => new(_time);

    [Fact]
    public void TryReserve_HoldsCountAgainstTheBudgetUntilSettled()
    {
        var book = Book();
        var budget = new ClientBudget("team", DailyUsd: 1m, MonthlyUsd: null);

        var first = book.TryReserve(budget, 0.6m);
        var second = book.TryReserve(budget, 0.6m);

        Assert.NotNull(first.Reservation);
        Assert.Null(second.Reservation);
        Assert.Equal(BudgetWindow.Day, second.Window);
        Assert.Contains("daily budget $1.0000: $0.0000 spent, $0.6000 held, this call may cost up to $0.6000", second.Describe(), StringComparison.Ordinal);

        book.Settle(first.Reservation!, 0.25m);

        Assert.Equal(new BudgetStatus(0.25m, 0.25m, 0m, Start.Date.AddDays(1), new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero)), book.StatusOf("team"));
        Assert.NotNull(book.TryReserve(budget, 0.6m).Reservation);
    }

    [Fact]
    public void Release_GivesTheHoldBackOnce()
    {
        var book = Book();
        var budget = new ClientBudget("team", 1m, null);
        var held = book.TryReserve(budget, 0.9m).Reservation!;

        book.Release(held);
        book.Release(held);
        book.Settle(held, 5m);

        Assert.Equal(0m, book.StatusOf("team").Held);
        Assert.Equal(0m, book.StatusOf("team").SpentToday);
    }

    [Fact]
    public void TryReserve_NewUtcDay_DailySpendStartsAfreshMonthlyKeepsCounting()
    {
        var book = Book();
        var budget = new ClientBudget("team", DailyUsd: 1m, MonthlyUsd: 1.5m);
        book.Settle(book.TryReserve(budget, 1m).Reservation!, 1m);
        Assert.Null(book.TryReserve(budget, 0.1m).Reservation);

        _time.Advance(TimeSpan.FromHours(1));

        var refused = book.TryReserve(budget, 0.6m);
        Assert.Equal(BudgetWindow.Month, refused.Window);
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero), refused.ResetAt);
        Assert.NotNull(book.TryReserve(budget, 0.5m).Reservation);
    }

    [Fact]
    public void TryReserve_NewMonth_MonthlySpendStartsAfresh()
    {
        var book = Book();
        var budget = new ClientBudget("team", null, MonthlyUsd: 1m);
        book.Settle(book.TryReserve(budget, 1m).Reservation!, 1m);

        _time.Advance(TimeSpan.FromDays(4));

        Assert.Equal(new DateTimeOffset(2026, 12, 1, 23, 0, 0, TimeSpan.Zero), _time.GetUtcNow());
        Assert.NotNull(book.TryReserve(budget, 1m).Reservation);
    }

    [Fact]
    public void Seed_AddsThisMonthsSpendAndTodaysToTheDay()
    {
        var book = Book();
        book.Seed("team", new Dictionary<DateOnly, decimal>
        {
            [new DateOnly(2026, 10, 31)] = 100m,
            [new DateOnly(2026, 11, 2)] = 2m,
            [new DateOnly(2026, 11, 27)] = 0.5m,
        });

        var status = book.StatusOf("team");

        Assert.Equal((0.5m, 2.5m), (status.SpentToday, status.SpentThisMonth));
        Assert.Null(book.TryReserve(new ClientBudget("team", null, 3m), 0.6m).Reservation);
    }

    [Fact]
    public async Task TryReserve_ManyConcurrentCalls_NeverHoldMoreThanTheBudget()
    {
        var book = Book();
        var budget = new ClientBudget("team", DailyUsd: 0.01m, MonthlyUsd: null);

        var admitted = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => Task.Run(() =>
        {
            var held = book.TryReserve(budget, 0.0007m).Reservation;
            if (held is not null)
            {
                book.Settle(held, 0.0007m);
            }

            return held is not null;
        })));

        Assert.Equal(14, admitted.Count(a => a));
        Assert.Equal(0.0098m, book.StatusOf("team").SpentToday);
    }
}
