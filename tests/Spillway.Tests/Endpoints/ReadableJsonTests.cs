using System.Text.Json.Nodes;
using Spillway.Simulator;
using Spillway.Tests.Support;

namespace Spillway.Tests.Endpoints;

/// <summary>Indented JSON on the admin reads and <c>/healthz</c> for <c>?pretty=1</c> and command-line tools; compact otherwise.</summary>
public sealed class ReadableJsonTests
{
    [Theory]
    [InlineData("/admin/requests?pretty=1", null)]
    [InlineData("/admin/requests?pretty=true", null)]
    [InlineData("/admin/requests?limit=5&pretty=TRUE", null)]
    [InlineData("/admin/requests", "curl/8.5.0")]
    [InlineData("/admin/requests", "Wget/1.21.4")]
    [InlineData("/admin/requests", "HTTPie/3.2.2")]
    [InlineData("/admin/requests", "xh/0.22.2")]
    [InlineData("/admin/requests?pretty=1", "Mozilla/5.0 (X11; Linux x86_64)")]
    public async Task Requests_PrettyQueryOrCommandLineAgent_IndentedJson(string path, string? userAgent)
    {
        await using var gateway = await StartWithOneRequestAsync();

        var body = await GetAsync(gateway, path, userAgent);

        Assert.Contains("\n  {", body, StringComparison.Ordinal);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(await CompactAsync(gateway)), JsonNode.Parse(body)));
    }

    [Theory]
    [InlineData("/admin/requests", null)]
    [InlineData("/admin/requests", "Mozilla/5.0 (X11; Linux x86_64)")]
    [InlineData("/admin/requests", "python-requests/2.32.3")]
    [InlineData("/admin/requests?pretty=0", "curl/8.5.0")]
    [InlineData("/admin/requests?pretty=false", "curl/8.5.0")]
    public async Task Requests_NoPrettyQueryNorCommandLineAgent_CompactJson(string path, string? userAgent)
    {
        await using var gateway = await StartWithOneRequestAsync();

        var body = await GetAsync(gateway, path, userAgent);

        Assert.DoesNotContain("\n", body, StringComparison.Ordinal);
        Assert.StartsWith("[{\"", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/admin/keys")]
    [InlineData("/admin/routes")]
    [InlineData("/admin/usage")]
    [InlineData("/admin/catalog/free")]
    [InlineData("/healthz")]
    public async Task OtherReads_PrettyQueryOrCurl_IndentedElseCompact(string path)
    {
        await using var gateway = await StartWithOneRequestAsync();

        var compact = await GetAsync(gateway, path, null);
        var pretty = await GetAsync(gateway, path + "?pretty=1", null);
        var curl = await GetAsync(gateway, path, "curl/8.5.0");

        Assert.DoesNotContain("\n", compact, StringComparison.Ordinal);
        Assert.Contains("\n  ", pretty, StringComparison.Ordinal);
        Assert.Contains("\n  ", curl, StringComparison.Ordinal);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(compact), JsonNode.Parse(pretty)));
    }

    [Fact]
    public async Task Keys_SecretHint_IsWrittenAsTextNotEscaped()
    {
        await using var gateway = await StartWithOneRequestAsync();

        var keys = await GetAsync(gateway, "/admin/keys", "curl/8.5.0");

        Assert.Contains("\"secret_hint\": \"…", keys, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u2026", keys, StringComparison.Ordinal);
    }

    private static async Task<TestGateway> StartWithOneRequestAsync()
    {
        var gateway = await TestGateway.StartAsync([new SimulatedProvider("openai")]);
        using (await gateway.ChatAsync("chain"))
        {
        }

        // Its ledger entry written (the admin read flushes), so /healthz's ledger counts stand still between reads.
        await gateway.LedgerAsync();
        return gateway;
    }

    private static async Task<string> CompactAsync(TestGateway gateway) => await GetAsync(gateway, "/admin/requests", null);

    private static async Task<string> GetAsync(TestGateway gateway, string path, string? userAgent)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (userAgent is not null)
        {
            request.Headers.TryAddWithoutValidation("User-Agent", userAgent);
        }

        using var response = await gateway.Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }
}
