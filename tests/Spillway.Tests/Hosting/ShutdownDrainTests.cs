using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Spillway.Core.Ledger;
using Spillway.Hosting;
using Spillway.Simulator;
using Spillway.Storage.Sqlite;
using Spillway.Tests.Support;
using Spillway.TestSupport;

namespace Spillway.Tests.Hosting;

/// <summary>
/// Stopping the gateway (what SIGTERM and <c>docker stop</c> do) while a stream runs: the stream gets the drain grace
/// on the gateway's clock, then ends with the in-band error event in the client's format and a <c>shutdown</c>
/// attempt in the ledger, never a cut connection recorded as the client's doing.
/// </summary>
public sealed class ShutdownDrainTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Stop_StreamStillRunningWhenTheGraceEnds_EndsWithTheInBandErrorAndAShutdownRow(bool withBackup)
    {
        using var data = new TempDirectory();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero));
        SimulatedProvider[] providers = withBackup
            ? [new SimulatedProvider("primary") { ReplyText = "One two three four five six seven." }, new SimulatedProvider("backup")]
            : [new SimulatedProvider("primary") { ReplyText = "One two three four five six seven." }];
        await using var gateway = await TestGateway.StartAsync(
            providers,
            configure: (_, config) => config with { ShutdownGrace = TimeSpan.FromSeconds(6) },
            time: time,
            dataDirectory: data.Path);
        gateway["primary"].Enqueue(SimulatedFault.FailMidStream(2, MidStreamFailure.Stall));

        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = TestGateway.ChatBody("chain", stream: true) };
        using var response = await gateway.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var lines = new List<string>();
        while (lines.Count(l => l.Contains("\"content\":\"", StringComparison.Ordinal)) < 3 && await reader.ReadLineAsync() is { } line)
        {
            lines.Add(line);
        }

        // The upstream has gone silent mid-answer; the gateway is told to stop and the grace runs out.
        var stopped = gateway.StopAsync();
        await gateway.Services.GetRequiredService<ShutdownDrain>().Begun;
        time.Advance(TimeSpan.FromSeconds(6));
        var rest = await reader.ReadToEndAsync();
        await stopped;

        Assert.Contains("The gateway is shutting down; the answer above is incomplete.", rest, StringComparison.Ordinal);
        Assert.Contains("\"code\":\"shutdown\"", rest, StringComparison.Ordinal);
        Assert.DoesNotContain("[DONE]", rest, StringComparison.Ordinal);

        using var ledger = new SqliteLedgerStore(data.Path);
        await ledger.InitializeAsync(CancellationToken.None);
        var entry = Assert.Single(await ledger.ListRecentAsync(10, CancellationToken.None));
        Assert.Equal("shutdown", Assert.Single(entry.Attempts).Outcome);
        Assert.Equal(200, entry.Status);
        Assert.StartsWith("The gateway is shutting down", entry.Error, StringComparison.Ordinal);

        // A stop is never a broken stream to continue elsewhere.
        Assert.Equal(0, withBackup ? gateway["backup"].CallCount : 0);
    }
}
