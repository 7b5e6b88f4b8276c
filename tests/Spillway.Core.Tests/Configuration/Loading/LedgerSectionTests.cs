using Spillway.Core.Configuration;
using Spillway.Core.Configuration.Loading;

namespace Spillway.Core.Tests.Configuration.Loading;

/// <summary>The optional <c>ledger:</c> block.</summary>
public sealed class LedgerSectionTests
{
    [Fact]
    public void Parse_NoLedgerBlock_KeepsNinetyDays()
    {
        var config = ConfigLoader.Parse("timeouts: { connect_seconds: 5 }\n", "spillway.yaml", TestEnvironment.Empty);

        Assert.Equal(90, config.Ledger.RetentionDays);
        Assert.Equal(TimeSpan.FromDays(90), config.Ledger.Retention);
        Assert.Equal(TimeSpan.FromDays(7), config.Ledger.ResponsesRetention);
    }

    [Fact]
    public void Parse_ResponsesRetentionDays_ReadsItAndKeepsTheLedgersDefault()
    {
        var config = ConfigLoader.Parse("ledger: { responses_retention_days: 30 }\n", "spillway.yaml", TestEnvironment.Empty);

        Assert.Equal(90, config.Ledger.RetentionDays);
        Assert.Equal(30, config.Ledger.ResponsesRetentionDays);
        Assert.Equal(TimeSpan.FromDays(30), config.Ledger.ResponsesRetention);
    }

    [Fact]
    public void Parse_ResponsesRetentionDaysZero_KeepsThemUntilDeleted()
    {
        var config = ConfigLoader.Parse("ledger: { responses_retention_days: 0 }\n", "spillway.yaml", TestEnvironment.Empty);

        Assert.Null(config.Ledger.ResponsesRetention);
    }

    [Fact]
    public void Parse_RetentionDays_ReadsIt()
    {
        var config = ConfigLoader.Parse("ledger: { retention_days: 7 }\n", "spillway.yaml", TestEnvironment.Empty);

        Assert.Equal(new LedgerConfig(7), config.Ledger);
        Assert.Equal(TimeSpan.FromDays(7), config.Ledger.Retention);
    }

    [Fact]
    public void Parse_RetentionDaysZero_KeepsEverythingForever()
    {
        var config = ConfigLoader.Parse("ledger:\n  retention_days: 0\n", "spillway.yaml", TestEnvironment.Empty);

        Assert.Equal(0, config.Ledger.RetentionDays);
        Assert.Null(config.Ledger.Retention);
    }

    [Theory]
    [InlineData("ledger: { retention_days: 36501 }\n", "ledger.retention_days: must be at most 36500")]
    [InlineData("ledger: { retention_days: -1 }\n", "ledger.retention_days")]
    [InlineData("ledger: { retention: 30 }\n", "ledger: unknown field 'retention'")]
    [InlineData("ledger: { responses_retention_days: -2 }\n", "ledger.responses_retention_days")]
    public void Parse_InvalidLedger_ThrowsOneLineMessageNamingTheField(string yaml, string expected)
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(yaml, "spillway.yaml", TestEnvironment.Empty));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
