namespace Spillway.Core.Budgets;

/// <summary>What clients spent before this process started: read once at start so a restart does not refill a budget.</summary>
public interface IClientSpendHistory
{
    /// <summary>The USD spent by <paramref name="clientId"/> per UTC day since <paramref name="since"/> (inclusive).</summary>
    ValueTask<IReadOnlyDictionary<DateOnly, decimal>> SpendByDayAsync(string clientId, DateOnly since, CancellationToken cancellationToken);
}
