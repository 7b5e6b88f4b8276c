using System.Text.Json;
using Spillway.Simulator;
using Spillway.Tests.Support;

namespace Spillway.Tests.ScaleOut;

public sealed class SharedLedgerTests
{
    [Fact]
    public async Task Ledger_RequestsOnThreeInstances_AllInTheOnePostgresLedgerSeenFromAny()
    {
        await using var cluster = await GatewayCluster.StartAsync(3, [new SimulatedProvider("a")], postgres: true);
        var ids = new List<string>();
        for (var i = 0; i < 9; i++)
        {
            using var response = await cluster.Instances[i % 3].PostAsync("/v1/chat/completions", TestGateway.ChatBody("chain"));
            response.EnsureSuccessStatusCode();
            ids.Add(response.Headers.GetValues("x-spillway-request-id").Single());
        }

        var health = JsonDocument.Parse(await cluster.Instances[1].GetStringAsync("/healthz")).RootElement.GetProperty("stores");
        Assert.Equal("postgres", health.GetProperty("records").GetString());

        // The ledger writes in the background in small batches: wait (bounded) until instance 2 sees every row.
        for (var attempt = 0; attempt < 400; attempt++)
        {
            using var listed = JsonDocument.Parse(await cluster.Instances[2].GetStringAsync("/admin/requests?limit=50"));
            var seen = listed.RootElement.EnumerateArray().Select(r => r.GetProperty("id").GetString()).ToHashSet();
            if (ids.All(seen.Contains))
            {
                Assert.Equal(9, seen.Count);
                return;
            }

            await Task.Delay(50);
        }

        Assert.Fail("instance 2 did not list every request of the three instances within 20 s");
    }
}
