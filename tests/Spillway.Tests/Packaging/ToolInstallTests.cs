using System.Net;
using System.Reflection;
using Spillway.Cli;
using Spillway.Tests.Support;
using Spillway.TestSupport;

namespace Spillway.Tests.Packaging;

/// <summary>
/// The README's install path, done for real: <c>dotnet pack src/Spillway</c>, <c>dotnet tool install</c> from that
/// folder (into a tool path of the test's own), then the installed <c>spillway</c> answers <c>--version</c> and serves
/// the demo over HTTP. Everything it writes lives in one temp folder.
/// </summary>
public sealed class ToolInstallTests : IDisposable
{
    // Only bounds a hang: a release pack on a busy 2-core machine (other builds, the rest of the suite) took over 3 minutes.
    private static readonly TimeSpan PackLimit = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan InstallLimit = TimeSpan.FromMinutes(3);

    private readonly TempDirectory _root = new();

    public void Dispose()
    {
        _root.Dispose();
    }

    private string Folder(string name) => Directory.CreateDirectory(Path.Combine(_root.Path, name)).FullName;

    [Fact]
    public async Task DotnetToolInstall_PackedSpillway_PrintsItsVersionAndServesTheDemo()
    {
        var nupkg = Folder("nupkg");
        var tools = Folder("tools");

        await PackAsync(nupkg);
        var package = Assert.Single(Directory.GetFiles(nupkg, "*.nupkg"));
        const string Prefix = "spillway.";
        Assert.StartsWith(Prefix, Path.GetFileName(package), StringComparison.Ordinal);
        var version = Path.GetFileNameWithoutExtension(package)[Prefix.Length..];
        Assert.Equal(version, typeof(SpillwayCli).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion);

        await InstallAsync(nupkg, tools, version);
        var spillway = new SpillwayChild(Path.Combine(tools, OperatingSystem.IsWindows() ? "spillway.exe" : "spillway"), Folder("child"));

        var (exit, stdout, stderr) = await spillway.RunAsync(string.Empty, "--version");
        Assert.True(exit == 0, $"spillway --version exited with {exit}:\n{stdout}\n{stderr}");
        Assert.Equal(version, stdout.Trim());

        await using var serve = await spillway.ServeAsync("--demo");
        using var response = await serve.Http.PostAsync("/v1/chat/completions", TestGateway.ChatBody("free-first"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"POST /v1/chat/completions answered {(int)response.StatusCode}: {body}");
        Assert.Contains("\"chat.completion\"", body, StringComparison.Ordinal);
    }

    /// <summary>
    /// <c>dotnet pack src/Spillway -c Release -o <paramref name="nupkg"/></c>, the README's command, with every
    /// intermediate and output file under this test's folder (<c>--artifacts-path</c> gives each project its own
    /// <c>bin</c>/<c>obj</c> there): it never writes the <c>src/*/bin</c> and <c>obj</c> folders that a build running
    /// beside the tests (or the one that built them) uses, so the two cannot collide. It compiles the four projects once
    /// more, in Release as a user packs them, which is what makes it slow; <c>--no-build</c> over the tests' own build
    /// would be faster but would pack whatever configuration that build had and write into its folders.
    /// </summary>
    private Task PackAsync(string nupkg) => DotnetCli.RunAsync(
        Folder("work"),
        PackLimit,
        "pack", Path.Combine(DotnetCli.RepositoryRoot(), "src", "Spillway"),
        "-c", "Release",
        "-o", nupkg,
        "--artifacts-path", Path.Combine(_root.Path, "artifacts"),
        // No MSBuild node or compiler server outlives the pack: one would keep its output pipe open.
        "--disable-build-servers",
        "-nologo");

    /// <summary>
    /// <c>dotnet tool install --tool-path TOOLS --add-source NUPKG spillway</c>, with a NuGet config that lists only
    /// that folder: the version just packed is installed and no other source is asked.
    /// </summary>
    private async Task InstallAsync(string nupkg, string tools, string version)
    {
        var config = Path.Combine(_root.Path, "nuget.config");
        await File.WriteAllTextAsync(config, """
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
              </packageSources>
            </configuration>
            """);
        await DotnetCli.RunAsync(
            Folder("work"),
            InstallLimit,
            "tool", "install",
            "--tool-path", tools,
            "--add-source", nupkg,
            "--configfile", config,
            "--version", version,
            "spillway");
    }
}
