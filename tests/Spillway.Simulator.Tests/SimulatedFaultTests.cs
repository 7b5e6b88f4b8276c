namespace Spillway.Simulator.Tests;

public sealed class SimulatedFaultTests
{
    [Fact]
    public void FailMidStream_NegativeEventCount_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SimulatedFault.FailMidStream(-1));
    }

    [Fact]
    public void RateLimited_NegativeWait_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SimulatedFault.RateLimited(TimeSpan.FromSeconds(-1)));
    }

    [Fact]
    public void Factories_Parameters_AreKept()
    {
        var midStream = SimulatedFault.FailMidStream(3, MidStreamFailure.ErrorChunk);
        var limited = SimulatedFault.RateLimited(TimeSpan.FromSeconds(9));

        Assert.Equal(SimulatedFaultKind.FailMidStream, midStream.Kind);
        Assert.Equal(3, midStream.EventsBeforeFailure);
        Assert.Equal(MidStreamFailure.ErrorChunk, midStream.MidStreamFailure);
        Assert.Equal(TimeSpan.FromSeconds(9), limited.RetryAfter);
        Assert.Null(SimulatedFault.RateLimited().RetryAfter);
        Assert.Equal(SimulatedFault.ServerError(), SimulatedFault.ServerError());
    }
}
