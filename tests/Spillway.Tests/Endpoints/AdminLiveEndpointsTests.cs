using System.Net;
using System.Text.Json;
using Spillway.Core.Engine;
using Spillway.Simulator;
using Spillway.Tests.Support;

namespace Spillway.Tests.Endpoints;

/// <summary><c>GET /admin/requests/live</c>: each request as it finishes, as Server-Sent Events.</summary>
public sealed class AdminLiveEndpointsTests
{
    [Fact]
    public async Task Live_ARequestFinishing_ArrivesAsOneEventShapedLikeTheLedgersEntries()
    {
        await using var gateway = await TestGateway.StartAsync([new SimulatedProvider("lv-a"), new SimulatedProvider("lv-b")]);
        gateway["lv-a"].Enqueue(SimulatedFault.RateLimited(TimeSpan.FromMinutes(5)));
        using var live = await gateway.Http.GetAsync("/admin/requests/live", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal("text/event-stream", live.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await live.Content.ReadAsStreamAsync());

        using var chat = await gateway.ChatAsync("chain");
        var id = chat.Headers.GetValues(SpillwayHeaders.RequestId).Single();

        var data = await NextEventAsync(reader).WaitAsync(TimeSpan.FromSeconds(30));
        using var entry = JsonDocument.Parse(data);
        Assert.Equal(id, entry.RootElement.GetProperty("id").GetString());
        Assert.Equal("lv-b/gpt-4o-mini", entry.RootElement.GetProperty("route").GetString());
        var outcomes = entry.RootElement.GetProperty("attempts").EnumerateArray().Select(a => a.GetProperty("outcome").GetString());
        Assert.Equal(["rate_limited", "ok"], outcomes);
    }

    [Fact]
    public async Task Live_WithAnAdminTokenAndNoSession_IsRefusedLikeEveryAdminRead()
    {
        await using var gateway = await TestGateway.StartAsync(
            [new SimulatedProvider("lv-c")],
            (_, config) => config with { Auth = new Core.Configuration.AuthConfig { AdminToken = new Core.Providers.Secret("lv-admin-token-0123456789") } });

        using var refused = await gateway.Http.GetAsync("/admin/requests/live", HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    /// <summary>The data of the next <c>request</c> event (keep-alive comments skipped).</summary>
    private static async Task<string> NextEventAsync(StreamReader reader)
    {
        string? name = null;
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                name = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal) && name == "request")
            {
                return line["data: ".Length..];
            }
        }

        throw new InvalidOperationException("the stream ended");
    }
}
