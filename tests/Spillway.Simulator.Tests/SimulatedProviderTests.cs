namespace Spillway.Simulator.Tests;

public sealed class SimulatedProviderTests
{
    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("a/b")]
    public void Constructor_NameThatIsNotAUrlSegment_Throws(string name)
    {
        Assert.ThrowsAny<ArgumentException>(() => new SimulatedProvider(name));
    }

    [Fact]
    public void Constructor_Defaults_SayItIsASimulator()
    {
        var provider = new SimulatedProvider("groq", SimulatorStyle.Groq);

        Assert.Equal("Hello from the simulated groq provider (Spillway demo — not a real model).", provider.ReplyText);
        Assert.Empty(provider.Models);
        Assert.Null(provider.RequestsPerMinute);
        Assert.Null(provider.RequestsPerDay);
        Assert.Equal(TimeSpan.Zero, provider.StreamEventDelay);
    }

    [Fact]
    public void Limits_ZeroOrNegative_Throw()
    {
        var provider = new SimulatedProvider("p");

        Assert.Throws<ArgumentOutOfRangeException>(() => provider.RequestsPerDay = 0);
        Assert.Throws<ArgumentOutOfRangeException>(() => provider.RequestsPerMinute = -1);
        Assert.Throws<ArgumentOutOfRangeException>(() => provider.StreamEventDelay = TimeSpan.FromSeconds(-1));
        provider.RequestsPerDay = null;
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("\"text\"")]
    public void SimulatedToolCall_ArgumentsNotAJsonObject_Throw(string arguments)
    {
        Assert.Throws<ArgumentException>(() => new SimulatedToolCall("read_file", arguments));
    }

    [Fact]
    public void EnqueueMany_Faults_AreTakenInOrder()
    {
        var provider = new SimulatedProvider("p");
        provider.EnqueueMany(SimulatedFault.ServerError(), SimulatedFault.Overloaded());

        var first = provider.BeginCall(fault => Record(fault));
        var second = provider.BeginCall(fault => Record(fault));
        var third = provider.BeginCall(fault => Record(fault));

        Assert.Equal(SimulatedFaultKind.ServerError, first?.Kind);
        Assert.Equal(SimulatedFaultKind.Overloaded, second?.Kind);
        Assert.Null(third);
        Assert.Equal(3, provider.CallCount);
    }

    [Fact]
    public void Models_SourceChangedAfterwards_KeepsTheCopy()
    {
        var source = new List<string> { "a" };
        var provider = new SimulatedProvider("p") { Models = source };

        source.Add("b");

        Assert.Equal(["a"], provider.Models);
    }

    private static RecordedCall Record(SimulatedFault? fault) =>
        new(DateTimeOffset.UnixEpoch, "/p/v1/chat/completions", null, "m", false, [], fault?.Kind);
}
