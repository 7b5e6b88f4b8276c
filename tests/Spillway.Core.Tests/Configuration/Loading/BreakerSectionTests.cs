using Spillway.Core.Configuration;
using Spillway.Core.Configuration.Loading;

namespace Spillway.Core.Tests.Configuration.Loading;

/// <summary>The optional <c>breaker:</c> block.</summary>
public sealed class BreakerSectionTests
{
    [Fact]
    public void Parse_NoBreakerBlock_UsesTheDefaults()
    {
        var config = ConfigLoader.Parse("timeouts: { connect_seconds: 5 }\n", "spillway.yaml", TestEnvironment.Empty);

        Assert.Equal(BreakerConfig.Default, config.Breaker);
        Assert.Equal(new BreakerConfig(5, TimeSpan.FromSeconds(5)), config.Breaker);
    }

    [Fact]
    public void Parse_BreakerBlock_ReadsBothFields()
    {
        var config = ConfigLoader.Parse("breaker:\n  failures: 3\n  open_seconds: 12.5\n", "spillway.yaml", TestEnvironment.Empty);

        Assert.Equal(new BreakerConfig(3, TimeSpan.FromSeconds(12.5)), config.Breaker);
    }

    [Fact]
    public void Parse_OneField_KeepsTheOtherDefault()
    {
        var config = ConfigLoader.Parse("breaker: { open_seconds: 60 }\n", "spillway.yaml", TestEnvironment.Empty);

        Assert.Equal(new BreakerConfig(5, TimeSpan.FromSeconds(60)), config.Breaker);
    }

    [Theory]
    [InlineData("breaker: { failures: 0 }\n", "spillway.yaml:1:22: breaker.failures: must be at least 1")]
    [InlineData("breaker: { failures: 1001 }\n", "spillway.yaml:1:22: breaker.failures: must be at most 1000, got 1001")]
    [InlineData("breaker: { open_seconds: 0 }\n", "spillway.yaml:1:26: breaker.open_seconds: must be more than 0 seconds, got 0")]
    [InlineData("breaker: { failure: 3 }\n", "spillway.yaml:1:12: breaker: unknown field 'failure' (did you mean 'failures'?)")]
    public void Parse_InvalidBreaker_ThrowsOneLineMessageWithPosition(string yaml, string expected)
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(yaml, "spillway.yaml", TestEnvironment.Empty));

        Assert.Equal(expected, error.Message);
    }
}
