using Npgsql;
using Spillway.Core.Configuration;

namespace Spillway.Storage.Postgres.Tests;

public sealed class PostgresClientStoreTests(PostgresServerFixture fixture) : PostgresTest(fixture)
{
    private static readonly DateTimeOffset Created = new(2026, 5, 4, 3, 2, 1, 789, TimeSpan.Zero);

    [Fact]
    public async Task AddThenList_EveryField_RoundTrips()
    {
        var store = Create().Clients;
        var client = new ClientKeyConfig("team-a", ClientKeyHash.Of("sk-spill-team-a"))
        {
            AllowPaid = false,
            BudgetUsdPerDay = 0.10m,
            BudgetUsdPerMonth = 12.5m,
            RequestsPerMinute = 60,
            AllowedModels = ["free-first", "groq/llama"],
            NoTrain = true,
        };

        Assert.True(await store.AddAsync(client, Created, CancellationToken.None));
        var stored = Assert.Single(await store.ListAsync(CancellationToken.None));

        Assert.Equal(Created, stored.Created);
        Assert.Equal(client with { AllowedModels = default }, stored.Client with { AllowedModels = default });
        Assert.Equal<string>(["free-first", "groq/llama"], [.. stored.Client.AllowedModels]);
        Assert.Equal("0.10", stored.Client.BudgetUsdPerDay?.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task AddThenList_Defaults_NoLimitsAndEveryModel()
    {
        var store = Create().Clients;

        await store.AddAsync(new ClientKeyConfig("plain", ClientKeyHash.Of("k")), Created, CancellationToken.None);
        var client = Assert.Single(await store.ListAsync(CancellationToken.None)).Client;

        Assert.True(client.AllowPaid);
        Assert.Null(client.BudgetUsdPerDay);
        Assert.Null(client.BudgetUsdPerMonth);
        Assert.Null(client.RequestsPerMinute);
        Assert.Empty(client.AllowedModels);
        Assert.False(client.NoTrain);
    }

    [Fact]
    public async Task Add_TakenId_ReturnsFalseAndKeepsTheFirst()
    {
        var store = Create().Clients;

        Assert.True(await store.AddAsync(new ClientKeyConfig("a", ClientKeyHash.Of("k1")), Created, CancellationToken.None));
        Assert.False(await store.AddAsync(new ClientKeyConfig("a", ClientKeyHash.Of("k2")), Created, CancellationToken.None));

        Assert.Equal(ClientKeyHash.Of("k1"), Assert.Single(await store.ListAsync(CancellationToken.None)).Client.KeyHash);
    }

    [Fact]
    public async Task Add_KeyOfAnotherClient_Throws()
    {
        var store = Create().Clients;
        await store.AddAsync(new ClientKeyConfig("a", ClientKeyHash.Of("k")), Created, CancellationToken.None);

        var error = await Assert.ThrowsAsync<PostgresException>(
            () => store.AddAsync(new ClientKeyConfig("b", ClientKeyHash.Of("k")), Created, CancellationToken.None));

        Assert.Equal(PostgresErrorCodes.UniqueViolation, error.SqlState);
    }

    [Fact]
    public async Task List_SeveralClients_ByIdInOrdinalOrder()
    {
        var store = Create().Clients;
        foreach (var id in new[] { "b", "B", "a-b", "a" })
        {
            await store.AddAsync(new ClientKeyConfig(id, ClientKeyHash.Of("key-" + id)), Created, CancellationToken.None);
        }

        Assert.Equal(["B", "a", "a-b", "b"], (await store.ListAsync(CancellationToken.None)).Select(c => c.Client.Id));
    }

    [Fact]
    public async Task Remove_KnownAndUnknownId_TrueThenFalse()
    {
        var store = Create().Clients;
        await store.AddAsync(new ClientKeyConfig("a", ClientKeyHash.Of("k")), Created, CancellationToken.None);

        Assert.True(await store.RemoveAsync("a", CancellationToken.None));
        Assert.False(await store.RemoveAsync("a", CancellationToken.None));
        Assert.Empty(await store.ListAsync(CancellationToken.None));
    }

    [Fact]
    public async Task AddAndRemove_TwoInstancesOnOneDatabase_EachSeesTheOthersClients()
    {
        IClientStore first = Create().Clients;
        IClientStore second = Create().Clients;

        await first.AddAsync(new ClientKeyConfig("from-first", ClientKeyHash.Of("k1")), Created, CancellationToken.None);
        await second.AddAsync(new ClientKeyConfig("from-second", ClientKeyHash.Of("k2")), Created, CancellationToken.None);

        Assert.Equal(["from-first", "from-second"], (await second.ListAsync(CancellationToken.None)).Select(c => c.Client.Id));
        Assert.True(await second.RemoveAsync("from-first", CancellationToken.None));
        Assert.Equal(["from-second"], (await first.ListAsync(CancellationToken.None)).Select(c => c.Client.Id));
    }
}
