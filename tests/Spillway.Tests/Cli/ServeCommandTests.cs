using Spillway.TestSupport;

namespace Spillway.Tests.Cli;

/// <summary><c>spillway serve</c> refuses a bad start with one clear line and a non-zero exit code.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class ServeCommandTests
{
    [Fact]
    public async Task Serve_BadConfig_ExitsNonZeroWithOneLineNamingFileAndField()
    {
        var file = Path.Combine(Path.GetTempPath(), "spillway-bad-" + Guid.NewGuid().ToString("N") + ".yaml");
        await File.WriteAllTextAsync(file, "providers:\n  - id: groq\n    format: opneai\n    base_url: http://127.0.0.1:1/v1\n    keys: [{ id: k, value: x }]\n");
        try
        {
            var (exit, stderr) = await RunAsync("serve", "--config", file);

            Assert.NotEqual(0, exit);
            var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Contains(Path.GetFileName(file), line, StringComparison.Ordinal);
            Assert.Contains("format", line, StringComparison.Ordinal);
            Assert.Contains("opneai", line, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Serve_NonLoopbackAddressWithoutClientKeys_RefusesToStart()
    {
        var file = Path.Combine(Path.GetTempPath(), "spillway-open-" + Guid.NewGuid().ToString("N") + ".yaml");
        await File.WriteAllTextAsync(file, "providers:\n  - id: openai\n    preset: openai\n    keys: [{ id: k, value: sk-x, tier: paid }]\n");
        using var data = new TempDirectory(create: false);
        try
        {
            var (exit, stderr) = await RunAsync("serve", "--config", file, "--urls", "http://0.0.0.0:0", "--data", data.Path);

            Assert.NotEqual(0, exit);
            Assert.Contains("client keys", stderr, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Serve_PortAndUrlsBoth_ExitsNonZeroWithOneClearLine()
    {
        var (exit, stderr) = await RunAsync("serve", "--demo", "--port", "4100", "--urls", "http://127.0.0.1:4200");

        Assert.Equal(2, exit);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("spillway: give --port or --urls, not both (--port 4100 means --urls http://127.0.0.1:4100).", line.TrimEnd());
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("70000")]
    [InlineData("-1")]
    public async Task Serve_PortNotAPortNumber_SaysWhatItTakes(string port)
    {
        var (exit, stderr) = await RunAsync("serve", "--demo", "--port", port);

        Assert.NotEqual(0, exit);
        Assert.Contains($"--port takes a port number, 0 to 65535 (got '{port}')", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_Port_ListensOnLoopbackAtThatPort()
    {
        using var data = new TempDirectory(create: false);
        await using var serve = await ServeRun.StartAsync("--demo", "--port", "0", "--data", data.Path);

        Assert.Equal("127.0.0.1", serve.Address.Host);
        Assert.NotEqual(0, serve.Address.Port);
        var (exit, _, _) = await serve.StopAsync();
        Assert.Equal(0, exit);
    }

    private static async Task<(int Exit, string Stderr)> RunAsync(params string[] args)
    {
        var (exit, _, stderr) = await CliRun.RunAsync(args);
        return (exit, stderr);
    }
}
