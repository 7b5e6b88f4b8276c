namespace Spillway.Bench.Load.Targets;

/// <summary>One way to reach the simulated upstream, ready to be measured: directly, or through a proxy process.</summary>
internal sealed class RunningTarget : IAsyncDisposable
{
    public required string Name { get; init; }

    /// <summary>The full URL of <c>POST .../chat/completions</c> on this target.</summary>
    public required Uri ChatUrl { get; init; }

    /// <summary>The <c>model</c> the requests name (an alias for Spillway, anything for the others).</summary>
    public required string Model { get; init; }

    /// <summary>Request headers besides content-type (auth, Portkey's routing headers).</summary>
    public required IReadOnlyDictionary<string, string> Headers { get; init; }

    /// <summary>From the process's start to its first answer on /healthz; null when not measured.</summary>
    public TimeSpan? StartupTime { get; init; }

    /// <summary>The Redis and PostgreSQL the target runs over, or null for an embedded one.</summary>
    public SharedStores? Stores { get; init; }

    /// <summary>The proxy's process, or null for the direct baseline.</summary>
    public ChildProcess? Process { get; init; }

    public async ValueTask DisposeAsync()
    {
        if (Process is not null)
        {
            await Process.DisposeAsync();
        }
    }
}
