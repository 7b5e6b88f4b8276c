using Spillway.Tests.Support;
using Spillway.TestSupport;

namespace Spillway.Tests.Native;

/// <summary>
/// The release artifact under test: the Native AOT <c>spillway</c> that <c>dotnet publish src/Spillway -c Release -o DIR</c>
/// leaves. CI publishes it once and names it in <c>SPILLWAY_NATIVE_BINARY</c> (.ci/run); without that variable this
/// publishes it here, into the fixture's own folder (a few minutes: the native compile is the slow part).
/// </summary>
public sealed class NativeBinary : IAsyncLifetime
{
    public const string Variable = "SPILLWAY_NATIVE_BINARY";

    private static readonly TimeSpan PublishLimit = TimeSpan.FromMinutes(12);

    private readonly TempDirectory _root = new();

    /// <summary>The path of the native <c>spillway</c>.</summary>
    public string Path { get; private set; } = string.Empty;

    /// <summary>A fresh folder for one test's child: its own home, data and working folders.</summary>
    public SpillwayChild Child() =>
        new(Path, Directory.CreateDirectory(System.IO.Path.Combine(_root.Path, Guid.NewGuid().ToString("N"))).FullName);

    public async Task InitializeAsync()
    {
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } given)
        {
            Assert.True(File.Exists(given), $"{Variable} names '{given}', which does not exist.");
            Path = System.IO.Path.GetFullPath(given);
            return;
        }

        // --artifacts-path keeps every intermediate file under this folder, away from the src/*/obj folders the tests'
        // own build uses; no build server outlives the publish to hold its output pipe open.
        var output = System.IO.Path.Combine(_root.Path, "publish");
        await DotnetCli.RunAsync(
            _root.Path,
            PublishLimit,
            "publish", System.IO.Path.Combine(DotnetCli.RepositoryRoot(), "src", "Spillway"),
            "-c", "Release",
            "-o", output,
            "--artifacts-path", System.IO.Path.Combine(_root.Path, "artifacts"),
            "--disable-build-servers",
            "-nologo");
        Path = System.IO.Path.Combine(output, OperatingSystem.IsWindows() ? "spillway.exe" : "spillway");
    }

    public Task DisposeAsync()
    {
        _root.Dispose();
        return Task.CompletedTask;
    }
}
