using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Spillway.TestSupport.Servers;

namespace Spillway.Tests.TestSupport.Servers;

/// <summary>
/// The Prometheus test server itself, against a tiny Kestrel target that serves a fixed exposition: a real
/// <c>prometheus</c> scrapes it, and the queries give what it exposed.
/// </summary>
public sealed class PrometheusServerTests
{
    /// <summary>Prometheus scrapes every second; a slow, busy machine gets plenty more.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task WaitForValueAsync_ScrapedTarget_GivesTheExposedValue()
    {
        await using var target = await FixedMetricsTarget.StartAsync(requiredToken: null);
        await using var prometheus = await PrometheusServer.StartNewAsync(target.MetricsUrl);

        var value = await prometheus.WaitForValueAsync("sum(demo_total)", v => v == 3, Patience);

        Assert.Equal(3, value);
        Assert.Equal(3, await prometheus.QueryAsync("sum(demo_total)"));
        Assert.Equal(1, await prometheus.QueryAsync("up"));
        Assert.Null(await prometheus.QueryAsync("sum(never_exposed_total)"));
        Assert.Equal(5, await prometheus.QueryAsync("scalar(sum(demo_total)) + 2"));
    }

    [Fact]
    public async Task QueryAsync_InvalidPromQl_ThrowsWithPrometheusAnswer()
    {
        await using var target = await FixedMetricsTarget.StartAsync(requiredToken: null);
        await using var prometheus = await PrometheusServer.StartNewAsync(target.MetricsUrl);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => prometheus.QueryAsync("sum(("));

        Assert.Contains("bad_data", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartNewAsync_WithBearerToken_ScrapesWithTheToken()
    {
        await using var target = await FixedMetricsTarget.StartAsync(requiredToken: "scrape-secret");
        await using var prometheus = await PrometheusServer.StartNewAsync(target.MetricsUrl, bearerToken: "scrape-secret");

        var value = await prometheus.WaitForValueAsync("sum(demo_total)", v => v == 3, Patience);

        Assert.Equal(3, value);
        Assert.Contains("Bearer scrape-secret", target.Authorizations);
    }

    [Fact]
    public async Task WaitForValueAsync_TargetRefusesWithoutToken_TimesOutWithTheScrapeError()
    {
        await using var target = await FixedMetricsTarget.StartAsync(requiredToken: "scrape-secret");
        await using var prometheus = await PrometheusServer.StartNewAsync(target.MetricsUrl);

        // A failed scrape is recorded as up == 0, and its error with the target.
        await prometheus.WaitForValueAsync("up", v => v == 0, Patience);
        var error = await Assert.ThrowsAsync<TimeoutException>(
            () => prometheus.WaitForValueAsync("sum(demo_total)", v => v == 3, TimeSpan.FromMilliseconds(500)));

        Assert.Contains("last: no sample", error.Message, StringComparison.Ordinal);
        Assert.Contains("401", error.Message, StringComparison.Ordinal);
        Assert.Contains(target.MetricsUrl.ToString(), error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(target.Authorizations, a => a.Length > 0);
    }

    [Fact]
    public async Task DisposeAsync_RunningServer_StopsItAndRemovesTheFolder()
    {
        await using var target = await FixedMetricsTarget.StartAsync(requiredToken: null);
        var prometheus = await PrometheusServer.StartNewAsync(target.MetricsUrl, metricsPath: "/custom/metrics");
        Assert.True(Directory.Exists(prometheus.Folder));

        await prometheus.DisposeAsync();

        Assert.False(Directory.Exists(prometheus.Folder));
        Assert.False(await LoopbackPort.AcceptsAsync(prometheus.Port));
    }

    /// <summary>
    /// A scrape target on Kestrel 127.0.0.1:0 serving <c>demo_total 3</c> on any path in Prometheus' text format,
    /// 401 without <c>Authorization: Bearer token</c> when a token is required. Notes every Authorization it sees.
    /// </summary>
    private sealed class FixedMetricsTarget : IAsyncDisposable
    {
        private const string Exposition = "# HELP demo_total A fixed counter.\n# TYPE demo_total counter\ndemo_total 3\n";

        private readonly WebApplication _app;
        private readonly List<string> _authorizations;

        private FixedMetricsTarget(WebApplication app, List<string> authorizations, Uri metricsUrl)
        {
            _app = app;
            _authorizations = authorizations;
            MetricsUrl = metricsUrl;
        }

        public Uri MetricsUrl { get; }

        /// <summary>The Authorization header of every scrape so far (empty when there was none).</summary>
        public IReadOnlyList<string> Authorizations
        {
            get
            {
                lock (_authorizations)
                {
                    return [.. _authorizations];
                }
            }
        }

        public static async Task<FixedMetricsTarget> StartAsync(string? requiredToken)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Configuration.Sources.Clear();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(options => options.Listen(IPAddress.Loopback, 0));
            var app = builder.Build();
            var authorizations = new List<string>();
            app.Run(async context =>
            {
                var authorization = context.Request.Headers.Authorization.ToString();
                lock (authorizations)
                {
                    authorizations.Add(authorization);
                }

                if (requiredToken is not null && authorization != "Bearer " + requiredToken)
                {
                    context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    return;
                }

                context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
                await context.Response.WriteAsync(Exposition);
            });
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
            return new FixedMetricsTarget(app, authorizations, new Uri(new Uri(address), "/metrics"));
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
