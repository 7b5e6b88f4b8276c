using System.Globalization;

namespace Spillway.Bench.Load.Measure;

/// <summary>
/// The CPU time a PostgreSQL server has used so far: its postmaster and every process it started (backends, WAL
/// writer, checkpointer, autovacuum), from <c>/proc</c>. Processes that already exited count through the postmaster's
/// <c>cutime</c>/<c>cstime</c>, so two readings around a run give the server's whole time in it.
/// </summary>
internal static class PostgresCpu
{
    // /proc reports times in clock ticks; Linux fixes USER_HZ at 100 for user space.
    private const double TicksPerSecond = 100;

    public static TimeSpan Read(int postmaster)
    {
        long ticks = 0;
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            if (Stat(folder) is { } stat && (pid == postmaster || stat.Parent == postmaster))
            {
                ticks += stat.Ticks;
            }
        }

        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }

    /// <summary>The parent and the user + system time of the process and its reaped children; null once it is gone.</summary>
    private static (int Parent, long Ticks)? Stat(string folder)
    {
        string text;
        try
        {
            text = File.ReadAllText(Path.Combine(folder, "stat"));
        }
        catch (IOException)
        {
            return null;
        }

        // "pid (comm) state ppid ... utime stime cutime cstime ...": comm may hold spaces, so split after its ')'.
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        long Field(int index) => long.Parse(fields[index], CultureInfo.InvariantCulture);
        return ((int)Field(1), Field(11) + Field(12) + Field(13) + Field(14));
    }
}
