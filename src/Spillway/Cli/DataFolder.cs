using System.CommandLine;
using System.CommandLine.Parsing;

namespace Spillway.Cli;

/// <summary>
/// The one data folder every command uses (database, <c>master.key</c>), whatever folder the program was started
/// from: <c>--data DIR</c> when given, else <c>$SPILLWAY_DATA</c> when set, else the user's data folder + <c>spillway</c>
/// (<c>$XDG_DATA_HOME/spillway</c>, else <c>~/.local/share/spillway</c> on Linux; the local application data folder
/// elsewhere). Always absolute: a relative path is taken from the current folder.
/// </summary>
internal static class DataFolder
{
    /// <summary>The variable that moves the data folder when <c>--data</c> is not given.</summary>
    public const string Variable = "SPILLWAY_DATA";

    /// <summary>Why there is no default folder (no home folder known); only <c>--data</c> or the variable helps then.</summary>
    public const string NoUserFolder = "no data folder: neither HOME nor a user data folder is known; pass --data DIR or set " + Variable + ".";

    private const string Description = "The data folder: the SQLite database and master.key (default: $" + Variable + ", else ~/.local/share/spillway).";

    /// <summary>The absolute data folder, or null when nothing names one (<see cref="NoUserFolder"/>).</summary>
    /// <param name="given">The <c>--data</c> value, null when not given.</param>
    /// <param name="environment">Reads an environment variable (null when unset).</param>
    /// <exception cref="ArgumentException"><paramref name="given"/> or the variable is not a usable path.</exception>
    public static string? Resolve(string? given, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (given is not null)
        {
            return Path.GetFullPath(given);
        }

        if (environment(Variable) is { Length: > 0 } variable)
        {
            return Path.GetFullPath(variable);
        }

        return UserDataRoot(environment) is { } root ? Path.Combine(root, "spillway") : null;
    }

    /// <summary>The line each command prints to say which folder it used.</summary>
    public static string Line(string folder) => "data: " + folder;

    /// <summary>
    /// The <c>--data</c> option of a command: its value is the resolved absolute folder, given or not. A relative
    /// path or no default folder is a parse error with one line.
    /// </summary>
    public static Option<string> Option() => new("--data")
    {
        Description = Description,
        DefaultValueFactory = result => Parse(result, null),
        CustomParser = result => Parse(result, result.Tokens.Count > 0 ? result.Tokens[^1].Value : string.Empty),
    };

    private static string Parse(ArgumentResult result, string? given)
    {
        try
        {
            if (Resolve(given, Environment.GetEnvironmentVariable) is { } folder)
            {
                return folder;
            }

            result.AddError(NoUserFolder);
        }
        catch (ArgumentException)
        {
            result.AddError(given is null
                ? $"{Variable} is not a usable folder path."
                : $"--data takes a folder path (got '{given}').");
        }

        return string.Empty;
    }

    /// <summary>
    /// The folder user data goes in. XDG on Linux and the BSDs, read through <paramref name="environment"/>
    /// (a relative <c>XDG_DATA_HOME</c> is ignored, as the XDG spec says); the platform's own folder elsewhere.
    /// </summary>
    private static string? UserDataRoot(Func<string, string?> environment)
    {
        if (OperatingSystem.IsLinux() || OperatingSystem.IsFreeBSD())
        {
            if (environment("XDG_DATA_HOME") is { Length: > 0 } xdg && Path.IsPathFullyQualified(xdg))
            {
                return xdg;
            }

            if (environment("HOME") is { Length: > 0 } home && Path.IsPathFullyQualified(home))
            {
                return Path.Combine(home, ".local", "share");
            }
        }

        var local = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
        return local.Length > 0 ? local : null;
    }
}
