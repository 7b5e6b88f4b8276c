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
        try
        {
            var (exit, stderr) = await RunAsync("serve", "--config", file, "--urls", "http://0.0.0.0:0");

            Assert.NotEqual(0, exit);
            Assert.Contains("client keys", stderr, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static async Task<(int Exit, string Stderr)> RunAsync(params string[] args)
    {
        var (exit, _, stderr) = await CliRun.RunAsync(args);
        return (exit, stderr);
    }
}
