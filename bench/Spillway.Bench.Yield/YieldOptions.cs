using System.Globalization;

namespace Spillway.Bench.Yield;

/// <summary>The command line of the yield benchmark.</summary>
internal sealed record YieldOptions
{
    /// <summary>Requests per simulated second: one per client.</summary>
    public int Clients { get; init; } = 4;

    /// <summary>True to send each second's requests one after another instead of together.</summary>
    public bool Sequential { get; init; }

    /// <summary>How long the workload lasts on the simulated clock.</summary>
    public int Minutes { get; init; } = 30;

    /// <summary>
    /// The per-minute limit of an extra free key, tried first, that the config knows nothing about (a custom provider
    /// without a preset), or null for none: the gateway must learn it from its 429s.
    /// </summary>
    public int? UnknownLimitRpm { get; init; }

    /// <summary>A file to write the table to as well, or null.</summary>
    public string? OutputFile { get; init; }

    public const string Usage = "usage: Spillway.Bench.Yield [--clients 1-16] [--sequential] [--minutes 5-120] [--unknown-limit RPM] [--out FILE]";

    public static YieldOptions? Parse(IReadOnlyList<string> args, out string? error)
    {
        error = null;
        var clients = 4;
        var minutes = 30;
        var sequential = false;
        string? output = null;
        int? unknownLimit = null;
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (name == "--sequential")
            {
                sequential = true;
                continue;
            }

            if (i + 1 >= args.Count)
            {
                error = $"{name} needs a value";
                return null;
            }

            var value = args[++i];
            switch (name)
            {
                case "--out": output = value; break;
                case "--unknown-limit" when int.TryParse(value, CultureInfo.InvariantCulture, out var rpm) && rpm is >= 1 and <= 600:
                    unknownLimit = rpm;
                    break;
                case "--clients" when int.TryParse(value, CultureInfo.InvariantCulture, out clients) && clients is >= 1 and <= 16: break;
                case "--minutes" when int.TryParse(value, CultureInfo.InvariantCulture, out minutes) && minutes is >= 5 and <= 120: break;
                default:
                    error = $"unknown option or bad value: {name} {value}";
                    return null;
            }
        }

        return new YieldOptions
        {
            Clients = clients,
            Sequential = sequential,
            Minutes = minutes,
            UnknownLimitRpm = unknownLimit,
            OutputFile = output is null ? null : Path.GetFullPath(output),
        };
    }
}
