using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace Spillway.TestSupport.Servers;

/// <summary>
/// A real PostgreSQL server (Debian's package, <c>/usr/lib/postgresql/&lt;version&gt;/bin</c>) on a free loopback port
/// with a throwaway folder: <c>initdb</c> then <c>postgres</c>, run as the <c>postgres</c> user when the tests run as
/// root (PostgreSQL refuses root), trust authentication on 127.0.0.1 only, fsync off. Stopped (fast shutdown, then
/// killed) and its folder removed on dispose. Starting takes a second or two: share one per test collection.
/// <see cref="StopAsync"/> and <see cref="StartAsync"/> let a test take it away and bring it back on the same port and
/// data folder (the databases and their rows are kept, as after a restart of the service).
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private const string InstallHint =
        "PostgreSQL's server binaries are missing (initdb and postgres under /usr/lib/postgresql/<version>/bin): install "
        + "Debian's postgresql package (apt-get install -y postgresql); .ci/run does.";

    private const string SuperUser = "postgres";
    private const int StartAttempts = 1000;

    private readonly TempDirectory _folder = new();
    private readonly RecentOutput _output = new();
    private readonly string _binaries;
    private Process? _process;

    private PostgresServer(string binaries, int port)
    {
        _binaries = binaries;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The server's main process (the postmaster, parent of every backend) while it runs; null when stopped.</summary>
    public int? ProcessId => _process?.Id;

    /// <summary>The throwaway folder (data directory and socket directory); gone after dispose.</summary>
    public string Folder => _folder.Path;

    /// <summary>The Npgsql connection string of the server's <c>postgres</c> database, as the superuser.</summary>
    public string ConnectionString => ConnectionStringFor("postgres");

    /// <summary>Runs <c>initdb</c> and starts the server; fails with what to install when the binaries are missing.</summary>
    public static async Task<PostgresServer> StartNewAsync()
    {
        var server = new PostgresServer(FindBinaries(), LoopbackPort.Free());
        try
        {
            await server.InitializeAsync();
            await server.StartAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Creates an empty database of its own for one test and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = "t_" + Guid.NewGuid().ToString("N");
        await using (var connection = new NpgsqlConnection(ConnectionStringFor("postgres", pooling: false)))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            // FILE_COPY: with fsync off its checkpoints are cheap, and it copies the small template faster than WAL_LOG.
            command.CommandText = $"CREATE DATABASE \"{name}\" STRATEGY FILE_COPY;";
            await command.ExecuteNonQueryAsync();
        }

        return ConnectionStringFor(name);
    }

    /// <summary>
    /// Starts the server (again, after <see cref="StopAsync"/>: same port, same data folder) and returns once it
    /// answers a query; does nothing while it runs.
    /// </summary>
    public async Task StartAsync()
    {
        if (_process is not null)
        {
            return;
        }

        _process = Start(
            Path.Combine(_binaries, "postgres"),
            [
                "-D", Data, "-p", Port.ToString(CultureInfo.InvariantCulture), "-k", Sockets,
                "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "synchronous_commit=off",
                "-c", "full_page_writes=off", "-c", "max_connections=300", "-c", "shared_buffers=32MB",
            ],
            asSuperUser: true);
        var process = _process;

        // Bounded polling until a query is answered (the socket opens before the server takes sessions): no fixed
        // sleep decides anything.
        for (var attempt = 0; attempt < StartAttempts; attempt++)
        {
            if (process.HasExited)
            {
                _process = null;
                var code = process.ExitCode;
                process.Dispose();
                throw new InvalidOperationException($"postgres exited at start with code {code}: {_output}");
            }

            if (await AnswersAsync())
            {
                return;
            }

            await Task.Delay(10);
        }

        throw new TimeoutException($"postgres did not accept connections on port {Port}: {_output}");
    }

    /// <summary>
    /// Stops the server (fast shutdown: its sessions end, as when the service is stopped) and returns once it is gone;
    /// the data folder stays for <see cref="StartAsync"/>. Does nothing when it is not running.
    /// </summary>
    public async Task StopAsync()
    {
        if (_process is not { } process)
        {
            return;
        }

        _process = null;
        await StopAsync(process);
    }

    public async ValueTask DisposeAsync()
    {
        // Pooled connections of the tests are ended by the server's fast shutdown; no pool is cleared here, since
        // that would reach other servers' pools in the same test process.
        await StopAsync();
        _folder.Dispose();
    }

    private string Data => Path.Combine(_folder.Path, "data");

    private string Sockets => Path.Combine(_folder.Path, "sockets");

    private string ConnectionStringFor(string database, bool pooling = true) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = SuperUser,
        Database = database,
        Pooling = pooling,
        Timeout = 5,
    }.ConnectionString;

    private static string FindBinaries()
    {
        const string root = "/usr/lib/postgresql";
        var found = Directory.Exists(root)
            ? Directory.GetDirectories(root)
                .Select(folder => (Folder: folder, Version: int.TryParse(Path.GetFileName(folder), CultureInfo.InvariantCulture, out var v) ? v : -1))
                .Where(c => c.Version > 0 && File.Exists(Path.Combine(c.Folder, "bin", "initdb")) && File.Exists(Path.Combine(c.Folder, "bin", "postgres")))
                .OrderByDescending(c => c.Version)
                .Select(c => Path.Combine(c.Folder, "bin"))
                .FirstOrDefault()
            : null;
        return found ?? throw new InvalidOperationException(InstallHint);
    }

    /// <summary>Creates the data folder with <c>initdb</c>, owned by the <c>postgres</c> user when the tests run as root.</summary>
    private async Task InitializeAsync()
    {
        Directory.CreateDirectory(Sockets);
        if (RunningAsRoot)
        {
            await RunToEndAsync("chown", ["-R", $"{SuperUser}:{SuperUser}", _folder.Path]);
        }

        await RunToEndAsync(
            Path.Combine(_binaries, "initdb"),
            ["-D", Data, "-U", SuperUser, "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync", "--no-instructions"],
            asSuperUser: true);
    }

    private async Task<bool> AnswersAsync()
    {
        try
        {
            await using var connection = new NpgsqlConnection(ConnectionStringFor("postgres", pooling: false));
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT 1;";
            await command.ExecuteScalarAsync();
            return true;
        }
        catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
        {
            return false;
        }
    }

    /// <summary>Fast shutdown (SIGINT: sessions ended, no checkpoint wait), then a kill when it does not stop in time.</summary>
    private static async Task StopAsync(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                using (var signal = Process.Start(new ProcessStartInfo("kill", ["-INT", process.Id.ToString(CultureInfo.InvariantCulture)])))
                {
                    if (signal is not null)
                    {
                        await signal.WaitForExitAsync();
                    }
                }

                using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                try
                {
                    await process.WaitForExitAsync(wait.Token);
                }
                catch (OperationCanceledException)
                {
                    process.Kill(entireProcessTree: true);
                    await process.WaitForExitAsync();
                }
            }
        }
        finally
        {
            process.Dispose();
        }
    }

    private static bool RunningAsRoot => Environment.UserName == "root";

    private Process Start(string binary, IReadOnlyList<string> arguments, bool asSuperUser = false)
    {
        ProcessStartInfo info;
        if (asSuperUser && RunningAsRoot)
        {
            // setpriv execs the binary in its own process, so the process id is the server's own.
            info = new ProcessStartInfo("setpriv");
            foreach (var argument in new[] { $"--reuid={SuperUser}", $"--regid={SuperUser}", "--init-groups", binary })
            {
                info.ArgumentList.Add(argument);
            }
        }
        else
        {
            info = new ProcessStartInfo(binary);
        }

        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.WorkingDirectory = _folder.Path;
        var process = Process.Start(info) ?? throw new InvalidOperationException($"{binary} did not start");
        process.OutputDataReceived += (_, e) => _output.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => _output.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private async Task RunToEndAsync(string binary, IReadOnlyList<string> arguments, bool asSuperUser = false)
    {
        using var process = Start(binary, arguments, asSuperUser);
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(binary)} failed with code {process.ExitCode}: {_output}");
        }
    }
}
