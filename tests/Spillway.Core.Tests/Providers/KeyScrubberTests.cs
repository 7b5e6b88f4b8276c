using Spillway.Core.Providers;

namespace Spillway.Core.Tests.Providers;

public class KeyScrubberTests
{
    [Theory]
    [InlineData("Incorrect API key provided: sk-proj-AbCdEf0123456789xyz.", "Incorrect API key provided: [redacted].")]
    [InlineData("key sk-ant-api03-abcDEF123456 rejected", "key [redacted] rejected")]
    [InlineData("key gsk_abcdefgh12345678 rejected", "key [redacted] rejected")]
    [InlineData("url ?key=AIzaSyA1b2C3d4E5f6G7h8I9j0 failed", "url ?key=[redacted] failed")]
    [InlineData("token 4f8a9c2e1b3d5f7a9c2e4b6d8f0a1c3e here", "token [redacted] here")]
    [InlineData("sk-or-v1-0123456789abcdef0123456789abcdef", "[redacted]")]
    [InlineData("AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY is not valid", "[redacted] is not valid")]
    [InlineData("xai-AbCdEfGh12345678 has no access", "[redacted] has no access")]
    public void Scrub_KeyShapedTokens_AreRedacted(string text, string expected)
    {
        Assert.Equal(expected, KeyScrubber.Scrub(text));
    }

    [Theory]
    [InlineData("sent Authorization: Bearer abc.DEF.ghi123 to us", "sent Authorization: Bearer [redacted] to us")]
    [InlineData("bearer Zm9vYmFyYmF6cXV4 is unknown", "bearer [redacted] is unknown")]
    [InlineData("GET https://host/v1/models?alt=json&api_key=q1w2e3r4t5y6 failed", "GET https://host/v1/models?alt=json&api_key=[redacted] failed")]
    [InlineData("GET /x?access_token=ya29.a0AfH6SMB&x=1", "GET /x?access_token=[redacted]&x=1")]
    [InlineData("headers: x-api-key: plain9secret, accept: */*", "headers: x-api-key: [redacted], accept: */*")]
    [InlineData("{\"x-goog-api-key\":\"zz11yy22xx33\"}", "{\"x-goog-api-key\":\"[redacted]\"}")]
    [InlineData("key=c2VjcmV0L2Jhc2U2NCtydW4=", "key=[redacted]")]
    public void Scrub_ValuesAfterBearerQueryParametersAndKeyHeaders_AreRedacted(string text, string expected)
    {
        Assert.Equal(expected, KeyScrubber.Scrub(text));
    }

    [Theory]
    [InlineData("in organization `org_01kes94v04f9ramd2n1vj4gjnc` service tier")]
    [InlineData("head to: https://ai.google.dev/gemini-api/docs/rate-limits.")]
    [InlineData("metric: generativelanguage.googleapis.com/generate_content_free_tier_input_token_count, limit: 0")]
    [InlineData("quota GenerateContentInputTokensPerModelPerMinute-FreeTier")]
    [InlineData("the task-runner uses sk-1 and risk-free words")]
    [InlineData("Use Bearer authentication (i.e. Authorization: Bearer YOUR_KEY)")]
    [InlineData("the key=value pairs and token=short are fine")]
    [InlineData("max_tokens=4096 is too large for this model")]
    public void Scrub_OrdinaryText_IsKept(string text)
    {
        Assert.Equal(text, KeyScrubber.Scrub(text));
    }

    [Fact]
    public void Scrub_TheSentKey_IsRedactedWhateverItsShape()
    {
        var key = new Secret("plainlowercasekey");

        var scrubbed = KeyScrubber.Scrub("Incorrect API key provided: plainlowercasekey. Check plainlowercasekey again.", key);

        Assert.Equal("Incorrect API key provided: [redacted]. Check [redacted] again.", scrubbed);
    }

    [Fact]
    public void Scrub_TextCutInsideTheSentKey_RedactsTheCutPart()
    {
        var key = new Secret("plainlowercasekey");

        Assert.Equal("bad key: [redacted]\u2026", KeyScrubber.Scrub("bad key: plainlow\u2026", key));
        Assert.Equal("bad key: [redacted]", KeyScrubber.Scrub("bad key: plainlowerc", key));
    }

    [Fact]
    public void Scrub_AShortSentKey_IsNotLookedForInWords()
    {
        // A value this short cannot be told from the words of a message; no real key is that short.
        Assert.Equal("the admin said no", KeyScrubber.Scrub("the admin said no", new Secret("admin")));
    }

    [Fact]
    public void Scrub_NoKey_IsTheSameString()
    {
        const string text = "rate limited (429) - slow down";

        Assert.Same(text, KeyScrubber.Scrub(text, null));
    }
}
