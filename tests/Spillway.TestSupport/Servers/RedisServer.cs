using System.Diagnostics;
using System.Globalization;

namespace Spillway.TestSupport.Servers;

/// <summary>
/// A real <c>redis-server</c> (Debian's package) on a free loopback port with a throwaway folder, no persistence.
/// Stopped and its folder removed on dispose. <see cref="StopAsync"/> and <see cref="StartAsync"/> let a test take
/// it away and bring it back on the same port (the data is gone: it is a fresh server, as after a crash without
/// persistence).
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private const string Binary = "/usr/bin/redis-server";
    private readonly TempDirectory _folder = new();
    private Process? _process;

    private RedisServer(int port) => Port = port;

    public int Port { get; }

    /// <summary>The StackExchange.Redis configuration string for this server.</summary>
    public string Configuration => string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{Port}");

    /// <summary>Starts a server; fails with what to install when redis-server is missing (CI installs it).</summary>
    public static async Task<RedisServer> StartNewAsync()
    {
        var server = new RedisServer(LoopbackPort.Free());
        await server.StartAsync();
        return server;
    }

    public async Task StartAsync()
    {
        if (!File.Exists(Binary))
        {
            throw new InvalidOperationException(
                "redis-server is missing: install Debian's redis-server package (apt-get install -y redis-server); .ci/run does.");
        }

        var info = new ProcessStartInfo(Binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _folder.Path,
        };
        foreach (var argument in new[]
                 {
                     "--port", Port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                     "--dir", _folder.Path, "--daemonize", "no", "--protected-mode", "yes",
                 })
        {
            info.ArgumentList.Add(argument);
        }

        _process = Process.Start(info) ?? throw new InvalidOperationException("redis-server did not start");
        _process.OutputDataReceived += static (_, _) => { };
        _process.ErrorDataReceived += static (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        // Bounded polling for the listening socket: no fixed sleep decides anything.
        for (var attempt = 0; attempt < 500; attempt++)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"redis-server exited at start with code {_process.ExitCode}");
            }

            if (await LoopbackPort.AcceptsAsync(Port))
            {
                return;
            }

            await Task.Delay(10);
        }

        throw new TimeoutException($"redis-server did not listen on port {Port}");
    }

    /// <summary>Kills the server (as a crash would) and waits until it is gone.</summary>
    public async Task StopAsync()
    {
        if (_process is not { } process)
        {
            return;
        }

        _process = null;
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        await process.WaitForExitAsync();
        process.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _folder.Dispose();
    }
}
