using System.Globalization;

namespace Spillway.Core.Secrets;

/// <summary>
/// The master key file, <c>master.key</c> in the data folder: base64 of the key on one line, readable and writable by
/// its owner only (0600). It is created on first need, never shared with group or others, and replaced by renaming a
/// complete new file over it, so a reader sees the old key or the new one, never half of one.
/// </summary>
/// <remarks>
/// The file lives beside the database it protects: that keeps the keys out of a copied database, a backup of it or a
/// support bundle, not out of reach of someone who can read the whole data folder. Set <c>SPILLWAY_MASTER_KEY</c> from
/// a secret manager to keep the two apart.
/// </remarks>
public static class MasterKeyFile
{
    public const string FileName = "master.key";

    /// <summary>Suffix of the new key written before a rotation commits; see <see cref="MasterKeySource"/>.</summary>
    internal const string PendingSuffix = ".new";

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private const UnixFileMode GroupOrOthers =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    public static string PathIn(string dataDirectory) => Path.GetFullPath(Path.Combine(dataDirectory, FileName));

    /// <summary>Reads a key file.</summary>
    /// <exception cref="KeyVaultException">It is open to other users, unreadable, or not a master key.</exception>
    public static MasterKey Read(string path)
    {
        if (!OperatingSystem.IsWindows())
        {
            var mode = File.GetUnixFileMode(path);
            if ((mode & GroupOrOthers) != 0)
            {
                var octal = Convert.ToString((int)mode & 0x1FF, 8).PadLeft(3, '0');
                throw new KeyVaultException(
                    $"{path} is open to other users (mode {octal}); a master key must be readable by its owner only: chmod 600 {path}");
            }
        }

        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KeyVaultException($"cannot read the master key file {path}: {e.Message}", e);
        }

        return MasterKey.TryParse(text, out var key)
            ? key
            : throw new KeyVaultException($"{path} is not a Spillway master key (expected 32 bytes in base64 on one line)");
    }

    /// <summary>Writes <paramref name="key"/> to <paramref name="path"/> unless the file exists.</summary>
    /// <returns>False when another process created the file first.</returns>
    public static bool TryCreate(string path, MasterKey key)
    {
        var temporary = WriteTemporary(path, key);
        try
        {
            File.Move(temporary, path, overwrite: false);
            return true;
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(temporary);
            return false;
        }
    }

    /// <summary>Replaces the key file with <paramref name="key"/> in one rename, and drops a pending copy.</summary>
    public static void Replace(string path, MasterKey key)
    {
        File.Move(WriteTemporary(path, key), path, overwrite: true);
        File.Delete(path + PendingSuffix);
    }

    /// <summary>Keeps the next key beside the current one while a rotation runs, so a crash after the database commits
    /// but before <see cref="Replace"/> loses nothing: <see cref="MasterKeySource"/> finishes the swap.</summary>
    public static void WritePending(string path, MasterKey key) => File.Move(WriteTemporary(path, key), path + PendingSuffix, overwrite: true);

    public static void DeletePending(string path) => File.Delete(path + PendingSuffix);

    /// <summary>A complete, flushed, owner-only file beside <paramref name="path"/>, ready to be renamed into place.</summary>
    private static string WriteTemporary(string path, MasterKey key)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = string.Create(CultureInfo.InvariantCulture, $"{path}.{Guid.NewGuid():N}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            // Set at creation: there is no moment when the file exists with the umask's wider mode.
            options.UnixCreateMode = OwnerOnly;
        }

        try
        {
            using var stream = new FileStream(temporary, options);
            using (var writer = new StreamWriter(stream, leaveOpen: true))
            {
                writer.Write(key.ToBase64());
                writer.Write('\n');
            }

            stream.Flush(flushToDisk: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }

        return temporary;
    }
}
