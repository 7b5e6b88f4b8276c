using System.Runtime.InteropServices;

namespace Spillway.Hosting;

/// <summary>
/// Keeps the provider keys out of core dumps. <c>serve</c> holds every key in clear in memory (it must send them), so a
/// core file, or a dump taken by attaching to the process, would carry them all. On Linux the process is marked
/// non-dumpable at start: the kernel then writes no core file, refuses ptrace attaches from other processes of the same
/// user (which is how createdump, gdb and dotnet-dump read memory), and makes <c>/proc/PID/mem</c> and
/// <c>/proc/PID/environ</c> (where <c>SPILLWAY_MASTER_KEY</c> sits) readable by root only.
/// </summary>
internal static class CoreDumps
{
    private const int PrGetDumpable = 3;
    private const int PrSetDumpable = 4;

    /// <summary>Marks this process non-dumpable; true when it now is. Elsewhere than Linux it does nothing.</summary>
    public static bool Prevent() => OperatingSystem.IsLinux() && prctl(PrSetDumpable, 0, 0, 0, 0) == 0 && !IsDumpable();

    /// <summary>Undoes <see cref="Prevent"/>, for a test that must leave its host process as it found it.</summary>
    internal static void Allow()
    {
        if (OperatingSystem.IsLinux())
        {
            _ = prctl(PrSetDumpable, 1, 0, 0, 0);
        }
    }

    /// <summary>True when the kernel would write a core file or allow a same-user attach (Linux only).</summary>
    public static bool IsDumpable() => OperatingSystem.IsLinux() && prctl(PrGetDumpable, 0, 0, 0, 0) != 0;

    [DllImport("libc")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);
}
