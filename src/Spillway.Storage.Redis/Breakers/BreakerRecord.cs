using System.Globalization;
using Spillway.Core.Health;
using StackExchange.Redis;

namespace Spillway.Storage.Redis.Breakers;

/// <summary>One route's shared breaker as this instance last read it from Redis (the mirror the hot path reads).</summary>
internal sealed record BreakerRecord(
    BreakerState State, int Failures, DateTimeOffset OpenUntil, DateTimeOffset? ProbeSince, BreakerFailure? LastFailure)
{
    public static BreakerRecord Closed { get; } = new(BreakerState.Closed, 0, DateTimeOffset.MinValue, null, null);

    /// <summary>The record in a route's hash (<see cref="BreakerScripts"/> names the fields); closed when there is none.</summary>
    public static BreakerRecord From(HashEntry[] fields)
    {
        if (fields.Length == 0)
        {
            return Closed;
        }

        var values = fields.ToDictionary(f => (string)f.Name!, f => (string?)f.Value, StringComparer.Ordinal);
        var state = values.GetValueOrDefault("state") switch
        {
            "open" => BreakerState.Open,
            "half" => BreakerState.HalfOpen,
            _ => BreakerState.Closed,
        };
        var probe = Long(values, "probe_since", -1);
        var lastAt = Long(values, "last_at", -1);
        var last = lastAt >= 0
            ? new BreakerFailure(DateTimeOffset.FromUnixTimeMilliseconds(lastAt), values.GetValueOrDefault("last_outcome") ?? "", values.GetValueOrDefault("last_reason") ?? "")
            : null;
        return new BreakerRecord(
            state,
            (int)Long(values, "failures", 0),
            DateTimeOffset.FromUnixTimeMilliseconds(Long(values, "open_until", 0)),
            probe >= 0 ? DateTimeOffset.FromUnixTimeMilliseconds(probe) : null,
            last);
    }

    public BreakerView View(DateTimeOffset now)
    {
        var state = State == BreakerState.Open && now >= OpenUntil ? BreakerState.HalfOpen : State;
        return new BreakerView(state, Failures, state == BreakerState.Open ? OpenUntil : null, LastFailure);
    }

    private static long Long(Dictionary<string, string?> values, string name, long fallback) =>
        values.GetValueOrDefault(name) is { } text && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : fallback;
}
