using static Spillway.Tests.Endpoints.OpenAIEndpointsFallbackTests;
using Spillway.Core.Engine;
using Spillway.Core.KeyState;
using Spillway.Simulator;
using Spillway.Storage.Sqlite;
using Spillway.TestSupport;
using Spillway.Tests.Support;

namespace Spillway.Tests.Cli;

/// <summary><c>spillway keys reset KEYID</c> through the CLI entry: on a running gateway, else in the data folder.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class KeysResetCommandTests : IDisposable
{
    private static readonly DateTimeOffset Far = DateTimeOffset.UtcNow.AddDays(2);

    private readonly TempDirectory _data = new();

    public void Dispose()
    {
        _data.Dispose();
    }

    [Fact]
    public async Task Reset_OnARunningGateway_EndsTheRejection_TheNextRequestCallsTheKey()
    {
        await using var gateway = await TestGateway.StartAsync([new SimulatedProvider("openai"), new SimulatedProvider("backup")]);
        gateway["openai"].Enqueue(SimulatedFault.Unauthorized());
        using (await gateway.ChatAsync("chain"))
        {
        }

        var (exit, stdout, stderr) = await CliRun.RunAsync("keys", "reset", "openai-key", "--url", gateway.Address.ToString(), "--data", _data.Path);
        using var response = await gateway.ChatAsync("chain");

        Assert.Equal(0, exit);
        Assert.Empty(stderr);
        Assert.Contains("Reset key 'openai-key'", stdout, StringComparison.Ordinal);
        Assert.Contains("1 cooldown ended", stdout, StringComparison.Ordinal);
        Assert.Equal("openai/gpt-4o-mini", Header(response, SpillwayHeaders.Route));
    }

    [Fact]
    public async Task Reset_UnknownKeyOnARunningGateway_ExitsOneWithTheGatewaysMessage()
    {
        await using var gateway = await TestGateway.StartAsync([new SimulatedProvider("openai")]);

        var (exit, stdout, stderr) = await CliRun.RunAsync("keys", "reset", "nope", "--url", gateway.Address.ToString(), "--data", _data.Path);

        Assert.Equal(1, exit);
        Assert.Equal("data: " + _data.Path, stdout.Trim());
        Assert.Contains("No key 'nope' is configured", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reset_NoGatewayRunning_ClearsTheKeysSavedCooldownsOnly()
    {
        using (var archive = new SqliteKeyStateArchive(_data.Path))
        {
            await archive.InitializeAsync(CancellationToken.None);
            await archive.SaveAsync(
                new KeyStateSnapshot(
                    [
                        new SavedCooldown("groq-1", new KeyCooldown(Far, "quota_exhausted", "groq: daily quota", null), "WXYZ"),
                        new SavedCooldown("groq-1", new KeyCooldown(Far, "rate_limited", "groq: rpm", "llama"), "WXYZ"),
                        new SavedCooldown("gemini-1", new KeyCooldown(Far, "quota_exhausted", "gemini: daily quota", null), "ABCD"),
                    ],
                    []),
                CancellationToken.None);
        }

        var (exit, stdout, stderr) = await CliRun.RunAsync("keys", "reset", "groq-1", "--url", LoopbackPorts.ClosedUrl(), "--data", _data.Path);

        Assert.Equal(0, exit);
        Assert.Empty(stderr);
        Assert.Contains("No gateway answers at", stdout, StringComparison.Ordinal);
        Assert.Contains("cleared 2 saved cooldowns of key 'groq-1'", stdout, StringComparison.Ordinal);
        using var reopened = new SqliteKeyStateArchive(_data.Path);
        await reopened.InitializeAsync(CancellationToken.None);
        var left = await reopened.LoadAsync(CancellationToken.None);
        Assert.Equal(["gemini-1"], left.Cooldowns.Select(c => c.KeyId));
    }
}
