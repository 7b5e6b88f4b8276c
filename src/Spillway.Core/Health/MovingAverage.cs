namespace Spillway.Core.Health;

/// <summary>An exponentially weighted moving average: the first sample sets it, each later one pulls it by
/// <c>weight</c> of the difference.</summary>
/// <param name="Value">The average; meaningless while <paramref name="Samples"/> is 0.</param>
/// <param name="Samples">How many samples it has taken.</param>
public readonly record struct MovingAverage(double Value, long Samples)
{
    public double? Current => Samples == 0 ? null : Value;

    public MovingAverage Add(double sample, double weight) =>
        Samples == 0 ? new(sample, 1) : new(Value + (weight * (sample - Value)), Samples + 1);
}
