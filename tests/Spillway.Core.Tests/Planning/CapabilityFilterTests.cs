using Spillway.Core.Planning;
using Spillway.Core.Providers;

namespace Spillway.Core.Tests.Planning;

public class CapabilityFilterTests
{
    private static readonly RequestNeeds Everything = new(Tools: true, Images: true, Json: true, InputTokens: 500_000, MaxOutputTokens: null);

    [Fact]
    public void Missing_UnknownCapabilities_AssumedSupported()
    {
        Assert.Null(CapabilityFilter.Missing(Everything, ModelCapabilities.Unknown));
    }

    [Fact]
    public void Missing_AllSupported_Null()
    {
        Assert.Null(CapabilityFilter.Missing(Everything, new ModelCapabilities(true, true, true, 1_000_000)));
    }

    [Fact]
    public void Missing_RequestWithImages_NotHeldToTheContextWindow()
    {
        // Base64 image bytes are not tokens: the byte estimate says nothing about a request that carries images.
        var needs = new RequestNeeds(false, Images: true, false, InputTokens: 400_000, null);

        Assert.Null(CapabilityFilter.Missing(needs, new ModelCapabilities(Vision: true, ContextTokens: 128_000)));
    }

    [Fact]
    public void Missing_InputExactlyTheWindow_Fits()
    {
        var needs = new RequestNeeds(false, false, false, InputTokens: 8000, MaxOutputTokens: 4000);

        Assert.Null(CapabilityFilter.Missing(needs, new ModelCapabilities(ContextTokens: 8000)));
    }

    [Fact]
    public void Missing_NeedsNothing_NeverMissing()
    {
        Assert.Null(CapabilityFilter.Missing(RequestNeeds.None, new ModelCapabilities(false, false, false, 1_000)));
    }
}
