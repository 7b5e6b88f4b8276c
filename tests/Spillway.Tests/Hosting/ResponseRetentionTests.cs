using System.Net;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Spillway.Core.Configuration;
using Spillway.Core.Ledger;
using Spillway.Simulator;
using Spillway.Storage.Sqlite;
using Spillway.Tests.Support;
using Spillway.TestSupport;

namespace Spillway.Tests.Hosting;

/// <summary>
/// Stored responses kept to <c>ledger.responses_retention_days</c> on a live gateway and its clock: an expired one is
/// refused at once, and its row deleted by the hourly sweep.
/// </summary>
public sealed class ResponseRetentionTests
{
    private static StringContent Body(string extra = "") =>
        new($$"""{"model":"chain","input":"My name is Ada."{{extra}}}""", Encoding.UTF8, "application/json");

    private static StringContent FollowUp(string previousId) => Body($",\"previous_response_id\":\"{previousId}\"");

    [Fact]
    public async Task ExecuteAsync_AnExpiredResponse_IsRefusedOnReadAndSweptAtTheNextHourlyPrune()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
        using var data = new TempDirectory();
        await using var gateway = await TestGateway.StartAsync(
            [new SimulatedProvider("up") { ReplyText = "Noted." }],
            (_, config) => config with { Ledger = new LedgerConfig(90) { ResponsesRetentionDays = 1 } },
            time,
            dataDirectory: data.Path);
        using var created = await gateway.Http.PostAsync("/v1/responses", Body());
        var id = IdOf(await created.Content.ReadAsStringAsync());

        time.Advance(TimeSpan.FromHours(23));
        using var fresh = await gateway.Http.GetAsync($"/v1/responses/{id}");
        time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));
        using var expired = await gateway.Http.GetAsync($"/v1/responses/{id}");
        using var followUp = await gateway.Http.PostAsync("/v1/responses", FollowUp(id));

        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, expired.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, followUp.StatusCode);

        // The row itself goes at the next hourly sweep.
        var store = new SqliteResponseStore(data.Path);
        for (var tries = 0; await store.FindAsync(id, IResponseStore.LoopbackClient, DateTimeOffset.MinValue, CancellationToken.None) is not null; tries++)
        {
            Assert.True(tries < 400, "the expired response was not swept");
            time.Advance(TimeSpan.FromMinutes(10));
            await Task.Delay(25);
        }
    }

    [Fact]
    public async Task ExecuteAsync_RetentionZero_KeepsThemUntilDeleted()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
        await using var gateway = await TestGateway.StartAsync(
            [new SimulatedProvider("up") { ReplyText = "Noted." }],
            (_, config) => config with { Ledger = new LedgerConfig(90) { ResponsesRetentionDays = 0 } },
            time);
        using var created = await gateway.Http.PostAsync("/v1/responses", Body());
        var id = IdOf(await created.Content.ReadAsStringAsync());

        // Longer than the default 7 days (not much longer: the fake clock fires every periodic timer of the host on the way).
        time.Advance(TimeSpan.FromDays(8));
        using var read = await gateway.Http.GetAsync($"/v1/responses/{id}");
        using var followUp = await gateway.Http.PostAsync("/v1/responses", FollowUp(id));

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(HttpStatusCode.OK, followUp.StatusCode);
    }

    private static string IdOf(string responseJson) => System.Text.Json.JsonDocument.Parse(responseJson).RootElement.GetProperty("id").GetString()!;
}
