namespace Spillway.Tests.Cli;

/// <summary>A numeric option given something else says, in words, what it takes, never a CLR type name.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class NumberOptionsTests
{
    [Theory]
    [InlineData("--days takes a whole number of days (got 'abc')", "usage", "--days", "abc")]
    [InlineData("--days takes a whole number of days (got '1.5')", "usage", "--days", "1.5")]
    [InlineData("--rpm takes a whole number of requests per minute (got 'many')", "keys", "add", "--provider", "groq", "--id", "k", "--rpm", "many")]
    [InlineData("--rpd takes a whole number of requests per day (got 'x')", "keys", "add", "--provider", "groq", "--id", "k", "--rpd", "x")]
    [InlineData("--tpm takes a whole number of tokens per minute (got '6k')", "keys", "add", "--provider", "groq", "--id", "k", "--tpm", "6k")]
    [InlineData("--tpd takes a whole number of tokens per day (got 'lots')", "keys", "add", "--provider", "groq", "--id", "k", "--tpd", "lots")]
    [InlineData("--budget-day takes an amount in USD, like 0.50 (got '$1')", "clients", "add", "--id", "c", "--budget-day", "$1")]
    [InlineData("--budget-month takes an amount in USD, like 0.50 (got 'ten')", "clients", "add", "--id", "c", "--budget-month", "ten")]
    [InlineData("--rpm takes a whole number of requests per minute (got 'fast')", "clients", "add", "--id", "c", "--rpm", "fast")]
    public async Task Cli_NumericOptionNotANumber_SaysWhatItTakes(string expected, params string[] args)
    {
        var (exit, _, error) = await CliRun.RunAsync(args);

        Assert.NotEqual(0, exit);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cli_NumericOptionLeftOut_KeepsItsDefault()
    {
        var (exit, _, error) = await CliRun.RunAsync("usage", "--data", Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N")));

        Assert.Equal(1, exit);
        Assert.StartsWith("No ledger at", error, StringComparison.Ordinal);
    }
}
