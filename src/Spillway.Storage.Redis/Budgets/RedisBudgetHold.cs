namespace Spillway.Storage.Redis.Budgets;

/// <summary>What <see cref="RedisBudgetStore"/> keeps of one hold: its id in the client's set of holds.</summary>
internal sealed class RedisBudgetHold(string id)
{
    private int _done;

    public string Id { get; } = id;

    /// <summary>True the first time only: a hold is settled or released once.</summary>
    public bool TryClose() => Interlocked.Exchange(ref _done, 1) == 0;
}
