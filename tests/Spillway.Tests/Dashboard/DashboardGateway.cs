using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Spillway.Core.Configuration;
using Spillway.Core.Providers;
using Spillway.Simulator;
using Spillway.Tests.Support;

namespace Spillway.Tests.Dashboard;

/// <summary>
/// A gateway for the dashboard tests: an admin token, a free provider (<c>dfree</c>, Groq style) before a priced paid
/// one (<c>dpaid</c>) in the alias <see cref="Alias"/>, so a free call saves money and a fallback to the paid route
/// costs some. <see cref="Admin"/> reads the admin API with the token, as a script would.
/// </summary>
internal sealed class DashboardGateway : IAsyncDisposable
{
    public const string Token = "dashboard-admin-token-0123456789";
    public const string Alias = "dash-chain";
    public const string Free = "dfree";
    public const string Paid = "dpaid";

    private DashboardGateway(TestGateway gateway)
    {
        Gateway = gateway;
        Admin = new HttpClient { BaseAddress = gateway.Address, Timeout = TimeSpan.FromSeconds(30) };
        Admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
    }

    public TestGateway Gateway { get; }

    public Uri Address => Gateway.Address;

    public HttpClient Admin { get; }

    /// <param name="first">Providers put before the free one in the chain (e.g. one whose errors a test scripts).</param>
    public static Task<DashboardGateway> StartAsync(params SimulatedProvider[] first) => StartAsync([], first);

    /// <param name="clients">Client keys with their allowances (chat calls then need one of them).</param>
    /// <param name="first">Providers put before the free one in the chain.</param>
    public static Task<DashboardGateway> StartAsync(ClientKeyConfig[] clients, params SimulatedProvider[] first) =>
        StartAsync(config => config, clients, first);

    /// <param name="tweak">Changes to the gateway's configuration (e.g. a breaker that opens at once).</param>
    /// <param name="clients">Client keys with their allowances.</param>
    /// <param name="first">Providers put before the free one in the chain.</param>
    public static async Task<DashboardGateway> StartAsync(Func<SpillwayConfig, SpillwayConfig> tweak, ClientKeyConfig[] clients, params SimulatedProvider[] first)
    {
        SimulatedProvider[] providers = [.. first, new SimulatedProvider(Free, SimulatorStyle.Groq), new SimulatedProvider(Paid)];
        var gateway = await TestGateway.StartAsync(
            providers,
            (_, config) => tweak(config) with
            {
                Models = [new ModelAliasConfig(Alias, RoutingStrategy.Ordered, [.. config.Models[0].Route])],
                Pricing = [new PriceOverride(Paid + "/gpt-4o-mini", 0.15m, 0.60m)],
                Auth = new AuthConfig { AdminToken = new Secret(Token), Clients = [.. clients] },
            });
        return new DashboardGateway(gateway);
    }

    /// <summary>One chat call through the alias; its request id.</summary>
    public async Task<string> ChatAsync()
    {
        using var response = await Gateway.ChatAsync(Alias);
        Assert.True(response.IsSuccessStatusCode, $"The chat call answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return response.Headers.GetValues("x-spillway-request-id").Single();
    }

    /// <summary>One chat call through the alias as the client whose key is <paramref name="clientKey"/>.</summary>
    /// <param name="extra">More of the body, e.g. <c>,"max_tokens":20</c>.</param>
    public Task<HttpResponseMessage> ChatAsClientAsync(string clientKey, string extra = "")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = TestGateway.ChatBody(Alias, extra: extra) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", clientKey);
        return Gateway.Http.SendAsync(request);
    }

    public async Task<JsonElement> GetJsonAsync(string path)
    {
        using var response = await Admin.GetAsync(path);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>Dollars as the dashboard shows them: a leading $, at least 2 and up to 6 decimals.</summary>
    public static string Usd(decimal value) => "$" + value.ToString("0.00####", CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        await Gateway.DisposeAsync();
    }
}
