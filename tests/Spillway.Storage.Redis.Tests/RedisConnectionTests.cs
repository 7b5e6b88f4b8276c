using Microsoft.Extensions.Logging.Abstractions;
using Spillway.TestSupport.Servers;

namespace Spillway.Storage.Redis.Tests;

public sealed class RedisConnectionTests
{
    [Fact]
    public async Task ConnectAsync_RunningServer_IsAvailableAndPrefixesKeys()
    {
        await using var server = await RedisServer.StartNewAsync();

        await using var connection = await RedisConnection.ConnectAsync(server.Configuration, NullLogger.Instance, "t1:");

        Assert.True(connection.IsAvailable);
        await connection.Database.StringSetAsync(connection.Key("k"), "v");
        Assert.Equal("v", (string?)await connection.Database.StringGetAsync("t1:k"));
        Assert.Equal("127.0.0.1:" + server.Port, connection.Endpoint);
    }

    [Fact]
    public async Task ConnectAsync_NothingListening_ConnectsLaterWithoutThrowing()
    {
        var port = LoopbackPort.Free();

        await using var connection = await RedisConnection.ConnectAsync("127.0.0.1:" + port + ",connectTimeout=200", NullLogger.Instance);

        Assert.False(connection.IsAvailable);
    }
}
