using System.Collections.Concurrent;

namespace Spillway.Core.Budgets;

/// <summary>
/// Every client's spend against its budgets, in memory (seeded at start from the ledger). A paid call first
/// reserves its estimated cost; the reservation counts against the budget like money spent until the call settles
/// with its real cost (or releases the hold when it failed). So any number of concurrent requests can overshoot a
/// budget by at most what one call costs beyond its estimate: each admission sees every hold in flight.
/// </summary>
/// <remarks>Days and months are UTC; spend rolls over at 00:00 UTC and on the first of the month.</remarks>
public sealed class BudgetBook(TimeProvider time) : IBudgetStore
{
    private readonly ConcurrentDictionary<string, Account> _accounts = new(StringComparer.Ordinal);

    /// <summary>Holds <paramref name="estimate"/> for a call when the client's budgets can take it.</summary>
    public BudgetDecision TryReserve(ClientBudget budget, decimal estimate)
    {
        ArgumentNullException.ThrowIfNull(budget);
        ArgumentOutOfRangeException.ThrowIfNegative(estimate);
        var now = time.GetUtcNow();
        var account = AccountOf(budget.ClientId);
        lock (account)
        {
            account.Roll(now);
            if (budget.DailyUsd is { } daily && account.SpentDay + account.Held + estimate > daily)
            {
                return new BudgetDecision(null, BudgetWindow.Day, daily, account.SpentDay, account.Held, estimate, NextDay(now));
            }

            if (budget.MonthlyUsd is { } monthly && account.SpentMonth + account.Held + estimate > monthly)
            {
                return new BudgetDecision(null, BudgetWindow.Month, monthly, account.SpentMonth, account.Held, estimate, NextMonth(now));
            }

            account.Held += estimate;
            return new BudgetDecision(new BudgetReservation(budget.ClientId, estimate), null, 0m, 0m, 0m, estimate, now);
        }
    }

    /// <inheritdoc />
    public ValueTask<BudgetDecision> TryReserveAsync(ClientBudget budget, decimal estimate, CancellationToken cancellationToken) =>
        new(TryReserve(budget, estimate));

    /// <summary>The call cost <paramref name="cost"/>: the hold becomes spend of that amount.</summary>
    public void Settle(BudgetReservation reservation, decimal cost)
    {
        ArgumentNullException.ThrowIfNull(reservation);
        var account = AccountOf(reservation.ClientId);
        lock (account)
        {
            if (reservation.Done)
            {
                return;
            }

            reservation.Done = true;
            account.Roll(time.GetUtcNow());
            account.Held -= reservation.Amount;
            account.SpentDay += cost;
            account.SpentMonth += cost;
        }
    }

    /// <summary>The call was not billed (it failed before an answer): the hold is given back.</summary>
    public void Release(BudgetReservation reservation)
    {
        ArgumentNullException.ThrowIfNull(reservation);
        var account = AccountOf(reservation.ClientId);
        lock (account)
        {
            if (!reservation.Done)
            {
                reservation.Done = true;
                account.Held -= reservation.Amount;
            }
        }
    }

    /// <summary>Adds what the ledger says the client spent before this process started (per UTC day).</summary>
    public void Seed(string clientId, IReadOnlyDictionary<DateOnly, decimal> spendByDay)
    {
        ArgumentNullException.ThrowIfNull(spendByDay);
        var now = time.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var account = AccountOf(clientId);
        lock (account)
        {
            account.Roll(now);
            foreach (var (day, spent) in spendByDay)
            {
                if (day.Year == today.Year && day.Month == today.Month)
                {
                    account.SpentMonth += spent;
                    account.SpentDay += day == today ? spent : 0m;
                }
            }
        }
    }

    public BudgetStatus StatusOf(string clientId)
    {
        var now = time.GetUtcNow();
        var account = AccountOf(clientId);
        lock (account)
        {
            account.Roll(now);
            return new BudgetStatus(account.SpentDay, account.SpentMonth, account.Held, NextDay(now), NextMonth(now));
        }
    }

    /// <summary>The first day of the UTC month of <paramref name="now"/>: how far back the ledger is read at start.</summary>
    public static DateOnly MonthStart(DateTimeOffset now) => new(now.UtcDateTime.Year, now.UtcDateTime.Month, 1);

    private static DateTimeOffset NextDay(DateTimeOffset now) => new(now.UtcDateTime.Date.AddDays(1), TimeSpan.Zero);

    private static DateTimeOffset NextMonth(DateTimeOffset now) =>
        new(MonthStart(now).AddMonths(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    private Account AccountOf(string clientId) => _accounts.GetOrAdd(clientId, _ => new Account());

    private sealed class Account
    {
        private DateOnly _day;

        public decimal SpentDay { get; set; }

        public decimal SpentMonth { get; set; }

        public decimal Held { get; set; }

        /// <summary>Starts a new day (and month) of spend when the clock has passed into one.</summary>
        public void Roll(DateTimeOffset now)
        {
            var today = DateOnly.FromDateTime(now.UtcDateTime);
            if (today == _day)
            {
                return;
            }

            if (today.Year != _day.Year || today.Month != _day.Month)
            {
                SpentMonth = 0m;
            }

            SpentDay = 0m;
            _day = today;
        }
    }
}
