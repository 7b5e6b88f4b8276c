using System.Globalization;

namespace Spillway.Bench.Load;

/// <summary>The command line of the load benchmark.</summary>
internal sealed record BenchOptions
{
    /// <summary>The spillway executable built in Release (<c>dotnet build src/Spillway -c Release -o DIR</c>).</summary>
    public required string SpillwayExecutable { get; init; }

    /// <summary>The Native AOT spillway binary (<c>dotnet publish src/Spillway -c Release -o DIR</c>), or null to leave its rows out.</summary>
    public string? NativeExecutable { get; init; }

    /// <summary>The folder with Portkey's node_modules and the fetch preload, or null to leave Portkey out.</summary>
    public string? PeersDirectory { get; init; }

    /// <summary>The length of each measured wrk run.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(8);

    /// <summary>How many sequential streamed requests the first-event probe times per target.</summary>
    public int ProbeCount { get; init; } = 200;

    /// <summary>Where configs, data folders and every tool's raw output go.</summary>
    public required string WorkDirectory { get; init; }

    /// <summary>A file to write the table to as well, or null.</summary>
    public string? OutputFile { get; init; }

    /// <summary>The targets to run (<see cref="TargetIds"/>), or null for all of them.</summary>
    public IReadOnlySet<string>? Only { get; init; }

    /// <summary>Every target's short name, in the order they run, for <c>--only</c>.</summary>
    public static readonly string[] TargetIds =
    [
        "direct", "one-step", "traced-one-step", "redis-one-step", "limited-one-step", "redis-limited-one-step", "cooled-chain", "native-one-step", "native-cooled-chain", "yarp", "portkey", "redis-x3",
    ];

    public const string Usage =
        "usage: Spillway.Bench.Load --spillway PATH [--spillway-native PATH] [--peers DIR] [--duration SECONDS(5-10)] [--probes N] [--work DIR] [--out FILE] [--only ID,...]";

    /// <summary>True when the target <paramref name="id"/> is to run.</summary>
    public bool Selects(string id) => Only is null || Only.Contains(id);

    public static BenchOptions? Parse(IReadOnlyList<string> args, out string? error)
    {
        error = null;
        string? spillway = null, native = null, peers = null, work = null, output = null;
        HashSet<string>? only = null;
        var seconds = 8;
        var probes = 200;
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (i + 1 >= args.Count)
            {
                error = $"{name} needs a value";
                return null;
            }

            var value = args[++i];
            switch (name)
            {
                case "--spillway": spillway = value; break;
                case "--spillway-native": native = value; break;
                case "--peers": peers = value; break;
                case "--work": work = value; break;
                case "--out": output = value; break;
                case "--only":
                    only = [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
                    if (only.Count == 0 || only.FirstOrDefault(id => !TargetIds.Contains(id)) is { } unknown)
                    {
                        error = $"--only takes target ids among {string.Join(',', TargetIds)} (got '{value}')";
                        return null;
                    }

                    break;
                case "--duration" when int.TryParse(value, CultureInfo.InvariantCulture, out seconds) && seconds is >= 5 and <= 10: break;
                case "--probes" when int.TryParse(value, CultureInfo.InvariantCulture, out probes) && probes is >= 10 and <= 5000: break;
                default:
                    error = $"unknown option or bad value: {name} {value}";
                    return null;
            }
        }

        if (spillway is null || !File.Exists(spillway))
        {
            error = $"--spillway must name the built spillway executable (got '{spillway}')";
            return null;
        }

        if (native is not null && !File.Exists(native))
        {
            error = $"--spillway-native must name the published Native AOT spillway binary (got '{native}')";
            return null;
        }

        return new BenchOptions
        {
            SpillwayExecutable = Path.GetFullPath(spillway),
            NativeExecutable = native is null ? null : Path.GetFullPath(native),
            PeersDirectory = peers is null ? null : Path.GetFullPath(peers),
            Duration = TimeSpan.FromSeconds(seconds),
            ProbeCount = probes,
            WorkDirectory = Path.GetFullPath(work ?? Directory.CreateTempSubdirectory("spillway-bench-").FullName),
            OutputFile = output is null ? null : Path.GetFullPath(output),
            Only = only,
        };
    }
}
