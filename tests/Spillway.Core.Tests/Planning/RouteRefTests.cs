using Spillway.Core.Planning;

namespace Spillway.Core.Tests.Planning;

public class RouteRefTests
{
    [Fact]
    public void TryParse_ProviderAndModel_SplitAtSlash()
    {
        Assert.True(RouteRef.TryParse("groq/llama-3.3-70b-versatile", out var route));

        Assert.Equal(new RouteRef("groq", "llama-3.3-70b-versatile"), route);
    }

    [Fact]
    public void TryParse_ModelWithSlashes_SplitAtFirstSlashOnly()
    {
        Assert.True(RouteRef.TryParse("openrouter/meta-llama/llama-3.3-70b:free", out var route));

        Assert.Equal("openrouter", route.ProviderId);
        Assert.Equal("meta-llama/llama-3.3-70b:free", route.Model);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("llama-3.3-70b")]
    [InlineData("/llama-3.3-70b")]
    [InlineData("groq/")]
    [InlineData("/")]
    public void TryParse_NotAProviderModelPair_FalseAndDefault(string? text)
    {
        Assert.False(RouteRef.TryParse(text, out var route));

        Assert.Equal(default, route);
    }

    [Theory]
    [InlineData("groq/llama-3.3-70b")]
    [InlineData("openrouter/meta-llama/x:free")]
    public void ToString_ParsedRoute_RoundTrips(string text)
    {
        Assert.True(RouteRef.TryParse(text, out var route));

        Assert.Equal(text, route.ToString());
    }
}
