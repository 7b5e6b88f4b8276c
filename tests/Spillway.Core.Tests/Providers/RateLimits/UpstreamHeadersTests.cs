using Spillway.Core.Providers.RateLimits;

namespace Spillway.Core.Tests.Providers.RateLimits;

public class UpstreamHeadersTests
{
    [Fact]
    public void Get_FromHttpResponse_FindsResponseHeadersIgnoringCase()
    {
        using var response = RecordedResponse.Load("groq-chat-completion-200-with-ratelimit-headers.txt").ToHttpResponse();
        var headers = new UpstreamHeaders(response);

        Assert.Equal("500000", headers.Get("X-RateLimit-Limit-Requests"));
        Assert.Equal("172.799999ms", headers.Get("x-ratelimit-reset-requests"));
        Assert.Equal("fra", headers.Get("X-GROQ-REGION"));
    }

    [Fact]
    public void Get_FromHttpResponse_FindsContentHeaders()
    {
        using var response = RecordedResponse.Load("openai-chat-completion-200-with-ratelimit-headers.txt").ToHttpResponse();
        var headers = new UpstreamHeaders(response);

        Assert.Equal("application/json", headers.Get("Content-Type"));
        Assert.Equal("gzip", headers.Get("content-encoding"));
    }

    [Fact]
    public void Get_SeveralValues_JoinsThem()
    {
        using var response = new HttpResponseMessage();
        response.Headers.TryAddWithoutValidation("x-thing", "a");
        response.Headers.TryAddWithoutValidation("x-thing", "b");

        Assert.Equal("a, b", new UpstreamHeaders(response).Get("x-thing"));
    }

    [Fact]
    public void Get_FromCaseSensitiveDictionary_IgnoresCase()
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal) { ["X-RateLimit-Reset"] = "1735689600000" };
        var headers = new UpstreamHeaders(map);

        Assert.Equal("1735689600000", headers.Get("x-ratelimit-reset"));
        Assert.Null(headers.Get("x-ratelimit-limit"));
    }

    [Fact]
    public void Get_Missing_ReturnsNull()
    {
        using var response = new HttpResponseMessage();

        Assert.Null(new UpstreamHeaders(response).Get("retry-after"));
    }

    [Fact]
    public void Empty_HasNoHeaders()
    {
        Assert.True(UpstreamHeaders.Empty.IsEmpty);
        Assert.Null(UpstreamHeaders.Empty.Get("retry-after"));
        Assert.Null(default(UpstreamHeaders).Get("date"));
    }

    [Fact]
    public void IsEmpty_FromNonEmptyMap_IsFalse()
    {
        Assert.False(new UpstreamHeaders(new Dictionary<string, string> { ["a"] = "1" }).IsEmpty);
    }
}
