using Microsoft.Data.Sqlite;

namespace Spillway.Storage.Sqlite;

/// <summary>The one database file of a data folder, <c>spillway.db</c>, that every store shares.</summary>
internal static class SpillwayDatabase
{
    /// <summary>The full path of the file in <paramref name="dataDirectory"/>, creating the folder when missing.</summary>
    public static string PathIn(string dataDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        Directory.CreateDirectory(dataDirectory);
        return Path.GetFullPath(Path.Combine(dataDirectory, SqliteLedgerStore.FileName));
    }

    /// <summary>Pooled connections to <paramref name="path"/>, created on first open; a command waits up to 30 s
    /// for a lock another connection holds (a checkpoint, a batch of ledger rows) before failing.</summary>
    public static SqliteConnectionStringBuilder ConnectionTo(string path) => new()
    {
        DataSource = path,
        Mode = SqliteOpenMode.ReadWriteCreate,
        Cache = SqliteCacheMode.Private,
        Pooling = true,
        DefaultTimeout = 30,
    };
}
