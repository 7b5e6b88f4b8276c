namespace Spillway.Storage.Redis.Quotas;

/// <summary>
/// Sums kept per key until the next flush takes them all at once, under one lock: what <see cref="UncountedCalls"/>
/// and <see cref="DayTokenCorrections"/> hold between two flushes of <see cref="RedisQuotaStore"/>.
/// </summary>
internal sealed class PendingSums<TKey, TSum>
    where TKey : notnull
    where TSum : new()
{
    private Dictionary<TKey, TSum> _sums = [];

    /// <summary>The lock to hold around <see cref="In"/> and the changes made to the sum it returns.</summary>
    public Lock Gate { get; } = new();

    /// <summary>The sum kept for <paramref name="key"/>, a new one when there is none. Call it holding <see cref="Gate"/>.</summary>
    public TSum In(TKey key)
    {
        if (!_sums.TryGetValue(key, out var sum))
        {
            sum = new TSum();
            _sums[key] = sum;
        }

        return sum;
    }

    /// <summary>Takes every sum (each once): what is added from now on goes into new ones.</summary>
    public IReadOnlyDictionary<TKey, TSum> TakeAll()
    {
        lock (Gate)
        {
            if (_sums.Count == 0)
            {
                return EmptySums;
            }

            var taken = _sums;
            _sums = [];
            return taken;
        }
    }

    private static readonly IReadOnlyDictionary<TKey, TSum> EmptySums = new Dictionary<TKey, TSum>();
}
