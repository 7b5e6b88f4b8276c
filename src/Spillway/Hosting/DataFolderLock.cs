using System.Globalization;
using System.Text;

namespace Spillway.Hosting;

/// <summary>
/// One <c>serve</c> per data folder: an exclusive OS lock on <c>spillway.lock</c> in it, held while the gateway runs.
/// Two gateways on one SQLite folder would each keep their own cooldowns, quotas and budgets in memory and overwrite
/// each other's saved state. The OS releases the lock when the process ends however it ends, so a crash leaves no
/// stale lock behind. Other commands (<c>keys list</c>, <c>usage</c>, <c>clients add</c>, …) never take it.
/// </summary>
internal sealed class DataFolderLock : IDisposable
{
    /// <summary>The lock file's name in the data folder; it holds the process id of the gateway that holds it.</summary>
    public const string FileName = "spillway.lock";

    // What .NET reports for a file another process holds: ERROR_SHARING_VIOLATION or ERROR_LOCK_VIOLATION on Windows;
    // on Unix, where FileShare.None is an flock(LOCK_EX | LOCK_NB), the errno EWOULDBLOCK (11 on Linux, 35 on macOS and
    // the BSDs).
    private const int SharingViolation = unchecked((int)0x80070020);
    private const int LockViolation = unchecked((int)0x80070021);
    private const int WouldBlockLinux = 11;
    private const int WouldBlockBsd = 35;

    private readonly FileStream _file;

    private DataFolderLock(FileStream file) => _file = file;

    /// <summary>Takes the lock of <paramref name="dataDirectory"/> (created if missing).</summary>
    /// <param name="problem">When null is returned: one line saying why, and what to do.</param>
    /// <returns>The held lock, to dispose when the gateway stops; null when it cannot be taken.</returns>
    public static DataFolderLock? TryAcquire(string dataDirectory, out string? problem)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataDirectory);
        var path = Path.Combine(dataDirectory, FileName);
        FileStream file;
        try
        {
            Directory.CreateDirectory(dataDirectory);
            file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e) when (IsHeldElsewhere(e))
        {
            problem = $"another Spillway is already serving from the data folder {dataDirectory} (it holds {path}). "
                + "Stop that one, or give this one its own folder with --data DIR; several instances share one state "
                + "through PostgreSQL and Redis, not through one SQLite data folder.";
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problem = $"cannot lock the data folder {dataDirectory} ({path}): {e.Message}";
            return null;
        }

        // For a person looking at the folder: which process holds it.
        try
        {
            file.SetLength(0);
            file.Write(Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n"));
            file.Flush();
        }
        catch (IOException)
        {
            // The lock is what matters; the note is a courtesy.
        }

        problem = null;
        return new DataFolderLock(file);
    }

    public void Dispose() => _file.Dispose();

    private static bool IsHeldElsewhere(IOException e) => e.HResult switch
    {
        SharingViolation or LockViolation => true,
        WouldBlockLinux => OperatingSystem.IsLinux(),
        WouldBlockBsd => OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD(),
        _ => false,
    };
}
