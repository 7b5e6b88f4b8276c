using Spillway.Core.Routing.Classification;

namespace Spillway.Core.Tests.Routing.Classification;

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

    [Theory]
    [InlineData("Incorrect API key provided: sk-proj-AbCdEf0123456789xyz.", "Incorrect API key provided: [redacted].")]
    [InlineData("key sk-ant-api03-abcDEF123456 rejected", "key [redacted] rejected")]
    [InlineData("key gsk_abcdefgh12345678 rejected", "key [redacted] rejected")]
    [InlineData("url ?key=AIzaSyA1b2C3d4E5f6G7h8I9j0 failed", "url ?key=[redacted] failed")]
    [InlineData("token 4f8a9c2e1b3d5f7a9c2e4b6d8f0a1c3e here", "token [redacted] here")]
    [InlineData("sk-or-v1-0123456789abcdef0123456789abcdef", "[redacted]")]
    public void Scrub_KeyLikeTokens_AreRedacted(string text, string expected)
    {
        Assert.Equal(expected, FailureReason.Scrub(text));
    }

    [Theory]
    [InlineData("in organization `org_01kes94v04f9ramd2n1vj4gjnc` service tier")]
    [InlineData("head to: https://ai.google.dev/gemini-api/docs/rate-limits.")]
    [InlineData("metric: generativelanguage.googleapis.com/generate_content_free_tier_input_token_count, limit: 0")]
    [InlineData("quota GenerateContentInputTokensPerModelPerMinute-FreeTier")]
    [InlineData("the task-runner uses sk-1 and risk-free words")]
    public void Scrub_OrdinaryText_IsKept(string text)
    {
        Assert.Equal(text, FailureReason.Scrub(text));
    }
}
