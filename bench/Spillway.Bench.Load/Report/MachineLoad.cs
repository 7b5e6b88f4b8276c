namespace Spillway.Bench.Load.Report;

/// <summary>
/// The load average, printed with the table: on a small machine any other busy process takes cores from the
/// proxies under test, and the numbers of such a run are not comparable with a quiet one's.
/// </summary>
internal static class MachineLoad
{
    public static string Read()
    {
        try
        {
            var fields = File.ReadAllText("/proc/loadavg").Split(' ');
            return string.Join(' ', fields.Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }
}
