using Spillway.Cli;

namespace Spillway.Tests.Cli;

/// <summary>
/// <c>spillway serve</c> run in-process as a user runs it, console captured (tests in <see cref="ConsoleCollection"/>):
/// started until its banner names the address it listens on (on stdout, or on stderr with <c>--log-format json</c>),
/// stopped as Ctrl+C would.
/// </summary>
internal sealed class ServeRun : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly BannerWatcher _stdout = new();
    private readonly BannerWatcher _stderr = new();
    private readonly (TextReader In, TextWriter Out, TextWriter Error) _original = (Console.In, Console.Out, Console.Error);
    private Task<int>? _run;
    private bool _restored;

    private ServeRun()
    {
    }

    /// <summary>Where the gateway listens, as its banner says.</summary>
    public Uri Address { get; private set; } = null!;

    public static async Task<ServeRun> StartAsync(params string[] args)
    {
        var serve = new ServeRun();
        Console.SetIn(new StringReader(string.Empty));
        Console.SetOut(TextWriter.Synchronized(serve._stdout));
        Console.SetError(TextWriter.Synchronized(serve._stderr));
        serve._run = Task.Run(() => SpillwayCli.RunAsync(["serve", .. args], TimeProvider.System, serve._stop.Token));
        try
        {
            var listening = Task.WhenAny(serve._stdout.Listening, serve._stderr.Listening);
            var first = await Task.WhenAny(listening, serve._run).WaitAsync(TimeSpan.FromMinutes(1));
            if (first == serve._run)
            {
                throw new InvalidOperationException($"serve exited with {await serve._run} before listening: {serve._stderr}");
            }

            serve.Address = await await listening;
            return serve;
        }
        catch
        {
            await serve.DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops serve and gives its exit code and everything it printed.</summary>
    public async Task<(int Exit, string Stdout, string Stderr)> StopAsync()
    {
        await _stop.CancelAsync();
        try
        {
            var exit = await _run!.WaitAsync(TimeSpan.FromMinutes(1));
            return (exit, _stdout.ToString(), _stderr.ToString());
        }
        finally
        {
            Restore();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_restored)
        {
            await StopAsync();
        }

        _stop.Dispose();
        _stdout.Dispose();
        _stderr.Dispose();
    }

    private void Restore()
    {
        Console.SetIn(_original.In);
        Console.SetOut(_original.Out);
        Console.SetError(_original.Error);
        _restored = true;
    }

    /// <summary>Captures stdout or stderr and completes <see cref="Listening"/> with the address of the banner's first line.</summary>
    private sealed class BannerWatcher : StringWriter
    {
        private const string Prefix = "Spillway is listening on ";
        private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<Uri> Listening => _listening.Task;

        public override void WriteLine(string? value)
        {
            base.WriteLine(value);
            if (value is not null && value.StartsWith(Prefix, StringComparison.Ordinal))
            {
                _listening.TrySetResult(new Uri(value[Prefix.Length..].Split(' ')[0]));
            }
        }
    }
}
