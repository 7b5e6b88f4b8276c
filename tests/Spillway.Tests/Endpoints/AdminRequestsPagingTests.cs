using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Spillway.Simulator;
using Spillway.Tests.Support;

namespace Spillway.Tests.Endpoints;

/// <summary><c>GET /admin/requests</c>: pages of at most 1,000 entries, the next one reached with <c>before</c>.</summary>
public sealed partial class AdminRequestsPagingTests
{
    [Fact]
    public async Task Requests_FollowingTheNextLink_WalksEveryEntryOnceNewestFirst()
    {
        await using var gateway = await TestGateway.StartAsync([new SimulatedProvider("openai")]);
        for (var i = 0; i < 7; i++)
        {
            using var served = await gateway.ChatAsync("chain");
            Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        }

        var all = Ids(await gateway.Http.GetStringAsync("/admin/requests?limit=1000"));
        var walked = new List<string>();
        var pages = new List<int>();
        var url = "/admin/requests?limit=3";
        while (true)
        {
            using var page = await gateway.Http.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Equal("1000", Assert.Single(page.Headers.GetValues("x-spillway-max-limit")));
            var ids = Ids(await page.Content.ReadAsStringAsync());
            walked.AddRange(ids);
            pages.Add(ids.Count);
            if (!page.Headers.TryGetValues("Link", out var links))
            {
                Assert.False(page.Headers.Contains("x-spillway-next-before"));
                break;
            }

            var next = Assert.Single(page.Headers.GetValues("x-spillway-next-before"));
            Assert.Equal(ids[^1], next);
            var link = NextLink().Match(Assert.Single(links));
            Assert.True(link.Success, "Link: " + string.Join(", ", links));
            Assert.Equal($"/admin/requests?limit=3&before={Uri.EscapeDataString(next)}", link.Groups[1].Value);
            url = link.Groups[1].Value;
        }

        Assert.Equal(7, all.Count);
        Assert.Equal([3, 3, 1], pages);
        Assert.Equal(all, walked);
    }

    [Theory]
    [InlineData("limit=0", "limit", "from 1 to 1000")]
    [InlineData("limit=1001", "limit", "from 1 to 1000")]
    [InlineData("limit=ten", "limit", "from 1 to 1000")]
    [InlineData("before=", "before", "must be the id of a ledger entry")]
    [InlineData("before=no-such-request", "before", "names no ledger entry")]
    public async Task Requests_LimitOutOfRangeOrUnknownBefore_400NamingTheProblem(string query, string param, string message)
    {
        await using var gateway = await TestGateway.StartAsync([new SimulatedProvider("openai")]);
        using (await gateway.ChatAsync("chain"))
        {
        }

        using var response = await gateway.Http.GetAsync("/admin/requests?" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var error = body.RootElement.GetProperty("error");
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal(param, error.GetProperty("param").GetString());
        Assert.Contains(message, error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    private static List<string> Ids(string json)
    {
        using var document = JsonDocument.Parse(json);
        return [.. document.RootElement.EnumerateArray().Select(e => e.GetProperty("id").GetString()!)];
    }

    [GeneratedRegex("^<([^>]+)>; rel=\"next\"$")]
    private static partial Regex NextLink();
}
