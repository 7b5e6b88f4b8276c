using Spillway.TestSupport.Servers;

namespace Spillway.Storage.Redis.Tests.Support;

/// <summary>One real redis-server per test class (an xunit class fixture), stopped and its folder removed when the
/// class is done, also when a test failed. Each test writes under its own <see cref="FreshPrefix"/>.</summary>
public sealed class RedisTestServer : IAsyncLifetime
{
    private RedisServer? _server;

    public RedisServer Server => _server ?? throw new InvalidOperationException("the server is not started");

    public static string FreshPrefix() => "t" + Guid.NewGuid().ToString("N")[..12] + ":";

    public async Task InitializeAsync() => _server = await RedisServer.StartNewAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
