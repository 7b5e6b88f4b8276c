using Spillway.Core.Catalog;
using Spillway.Core.Chat;
using Spillway.Core.Providers;

namespace Spillway.Core.Tests.Catalog;

public sealed class CatalogFetcherTests
{
    [Theory]
    [InlineData(301)]
    [InlineData(302)]
    [InlineData(307)]
    [InlineData(308)]
    public async Task FetchAsync_ListRedirected_NotFollowedSoTheKeyStaysHome(int status)
    {
        using var elsewhere = new LoopbackModelServer("{\"data\":[]}"u8.ToArray());
        using var provider = new LoopbackModelServer([], status) { Location = new Uri(elsewhere.BaseUrl + "/models") };
        using var http = CatalogFetcher.CreateHttpClient(TimeSpan.FromSeconds(5));
        var fetcher = new CatalogFetcher(http, TimeProvider.System);

        var failure = await Assert.ThrowsAsync<CatalogFetchException>(() => fetcher.FetchAsync(provider.BaseUrl, Anthropic(provider.BaseUrl), CancellationToken.None));

        Assert.Contains(status.ToString(System.Globalization.CultureInfo.InvariantCulture), failure.Message, StringComparison.Ordinal);
        Assert.Single(provider.Requests);
        Assert.Empty(elsewhere.Requests);
    }

    private static ProviderConfig Anthropic(Uri baseUrl) => new()
    {
        Id = "claude",
        Format = WireFormat.Anthropic,
        Auth = AuthStyle.XApiKey,
        BaseUrl = baseUrl,
        Keys = [new KeyConfig("claude-1", new Secret("sk-ant-catalog-secret-0123456789"), KeyTier.Paid, KeyLimits.Unknown)],
    };
}
