using Spillway.Core.Failures.Classification;

namespace Spillway.Core.Tests.Failures.Classification;

public class FailureReasonTests
{
    [Fact]
    public void Build_SummaryAndDetail_JoinsThemAfterTheProvider()
    {
        Assert.Equal("groq: rate limited - slow down", FailureReason.Build("groq", "rate limited", "slow down"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  \n ")]
    public void Build_NoDetail_IsProviderAndSummary(string? detail)
    {
        Assert.Equal("groq: rate limited", FailureReason.Build("groq", "rate limited", detail));
    }

    [Fact]
    public void Build_MultiLineDetail_IsOneLine()
    {
        var reason = FailureReason.Build("gemini", "quota", "You exceeded your quota. \n* Quota exceeded for metric: m, limit: 0\nPlease retry in 7.9s.");

        Assert.Equal("gemini: quota - You exceeded your quota. * Quota exceeded for metric: m, limit: 0 Please retry in 7.9s.", reason);
    }

    [Fact]
    public void Build_LongDetail_IsCutTo200CharactersWithAnEllipsis()
    {
        var reason = FailureReason.Build("p", "s", new string('a', 500));

        Assert.Equal(200, reason.Length);
        Assert.EndsWith("a\u2026", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_KeyAcrossTheCut_IsRedactedNotHalfShown()
    {
        var key = "gsk_" + new string('Q', 40) + "1";
        var reason = FailureReason.Build("groq", "auth", new string('x', 170) + " " + key);

        Assert.DoesNotContain("gsk_", reason, StringComparison.Ordinal);
        Assert.DoesNotContain("QQQQ", reason, StringComparison.Ordinal);
    }
}
