using System.Text;
using Spillway.Core.Ledger;

namespace Spillway.Storage.Postgres.Tests;

public sealed class PostgresResponseStoreTests(PostgresServerFixture fixture) : PostgresTest(fixture)
{
    private static readonly DateTimeOffset Created = new(2026, 5, 4, 3, 2, 1, 789, TimeSpan.Zero);

    private static StoredResponse Response(string id, string client = "team-a", DateTimeOffset? created = null, string text = "Hello") => new(
        id,
        client,
        created ?? Created,
        Encoding.UTF8.GetBytes($$"""{"id":"{{id}}","object":"response","output":[{"type":"message","content":[{"type":"output_text","text":"{{text}}"}]}]}"""),
        Encoding.UTF8.GetBytes("""[{"type":"message","role":"user","content":"Hi \u00e9"}]"""));

    [Fact]
    public async Task SaveThenFind_FromAnotherStorage_RoundTripsTheExactBytes()
    {
        var saved = Response("resp_1");
        await Create().Responses.SaveAsync(saved, CancellationToken.None);

        // Another instance on the same database finds it.
        var found = await Create().Responses.FindAsync("resp_1", "team-a", Created.AddDays(-1), CancellationToken.None);

        Assert.NotNull(found);
        Assert.Equal((saved.Id, saved.ClientId, saved.CreatedAt), (found.Id, found.ClientId, found.CreatedAt));
        Assert.Equal(saved.Response.ToArray(), found.Response.ToArray());
        Assert.Equal(saved.InputItems.ToArray(), found.InputItems.ToArray());
    }

    [Fact]
    public async Task Find_AnotherClientsOrAnOlderOne_FindsNothing()
    {
        var store = Create().Responses;
        await store.SaveAsync(Response("resp_1"), CancellationToken.None);

        Assert.Null(await store.FindAsync("resp_1", "team-b", DateTimeOffset.MinValue, CancellationToken.None));
        Assert.Null(await store.FindAsync("resp_1", IResponseStore.LoopbackClient, DateTimeOffset.MinValue, CancellationToken.None));
        Assert.Null(await store.FindAsync("resp_1", "team-a", Created.AddMilliseconds(1), CancellationToken.None));
        Assert.NotNull(await store.FindAsync("resp_1", "team-a", Created, CancellationToken.None));
    }

    [Fact]
    public async Task Save_SameIdForTwoClients_EachKeepsItsOwn()
    {
        var store = Create().Responses;
        await store.SaveAsync(Response("resp_1", "team-a", text: "for a"), CancellationToken.None);
        await store.SaveAsync(Response("resp_1", "team-b", text: "for b"), CancellationToken.None);
        await store.SaveAsync(Response("resp_1", "team-b", text: "for b again"), CancellationToken.None);

        var a = await store.FindAsync("resp_1", "team-a", DateTimeOffset.MinValue, CancellationToken.None);
        var b = await store.FindAsync("resp_1", "team-b", DateTimeOffset.MinValue, CancellationToken.None);

        Assert.Contains("for a", Encoding.UTF8.GetString(a!.Response.Span), StringComparison.Ordinal);
        Assert.Contains("for b again", Encoding.UTF8.GetString(b!.Response.Span), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_OwnOnce_ThenNothing_AndNeverAnotherClients()
    {
        var store = Create().Responses;
        await store.SaveAsync(Response("resp_1"), CancellationToken.None);

        Assert.False(await store.DeleteAsync("resp_1", "team-b", CancellationToken.None));
        Assert.True(await store.DeleteAsync("resp_1", "team-a", CancellationToken.None));
        Assert.False(await store.DeleteAsync("resp_1", "team-a", CancellationToken.None));
        Assert.Null(await store.FindAsync("resp_1", "team-a", DateTimeOffset.MinValue, CancellationToken.None));
    }

    [Fact]
    public async Task Prune_DeletesOnlyTheOlderOnes_InBatches()
    {
        var store = Create().Responses;
        for (var i = 0; i < 5; i++)
        {
            await store.SaveAsync(Response($"resp_old{i}", created: Created.AddDays(-10)), CancellationToken.None);
        }

        await store.SaveAsync(Response("resp_new"), CancellationToken.None);

        var deleted = await store.PruneAsync(Created.AddDays(-7), batchSize: 2, CancellationToken.None);

        Assert.Equal(5, deleted);
        Assert.NotNull(await store.FindAsync("resp_new", "team-a", DateTimeOffset.MinValue, CancellationToken.None));
        Assert.Null(await store.FindAsync("resp_old0", "team-a", DateTimeOffset.MinValue, CancellationToken.None));
    }
}
