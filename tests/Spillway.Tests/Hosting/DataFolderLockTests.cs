using System.Diagnostics;
using Spillway.Hosting;
using Spillway.TestSupport;

namespace Spillway.Tests.Hosting;

/// <summary>The exclusive lock <c>serve</c> holds on its data folder.</summary>
public sealed class DataFolderLockTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Data => Path.Combine(_temp.Path, "data");

    [Fact]
    public void TryAcquire_MissingFolder_CreatesItAndHoldsTheLock()
    {
        using var held = DataFolderLock.TryAcquire(Data, out var problem);

        Assert.NotNull(held);
        Assert.Null(problem);
        Assert.True(File.Exists(Path.Combine(Data, DataFolderLock.FileName)));
    }

    [Fact]
    public void TryAcquire_Held_ReturnsNullNamingTheFolderAndWhatToDo()
    {
        using var first = DataFolderLock.TryAcquire(Data, out _);

        using var second = DataFolderLock.TryAcquire(Data, out var problem);

        Assert.NotNull(first);
        Assert.Null(second);
        Assert.NotNull(problem);
        Assert.Contains(Data, problem, StringComparison.Ordinal);
        Assert.Contains("another Spillway", problem, StringComparison.Ordinal);
        Assert.Contains("--data", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void TryAcquire_AfterRelease_Succeeds()
    {
        DataFolderLock.TryAcquire(Data, out _)!.Dispose();

        using var again = DataFolderLock.TryAcquire(Data, out var problem);

        Assert.NotNull(again);
        Assert.Null(problem);
    }

    [Fact]
    public async Task TryAcquire_HeldByAnotherProcess_RefusedUntilThatProcessIsKilled()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // flock(1), from util-linux, is the other process.
        }

        Directory.CreateDirectory(Data);
        var path = Path.Combine(Data, DataFolderLock.FileName);
        var start = new ProcessStartInfo("flock") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[] { "-o", "-x", path, "-c", "echo locked; exec sleep 600" })
        {
            start.ArgumentList.Add(argument);
        }

        using var holder = Process.Start(start)!;
        try
        {
            Assert.Equal("locked", await holder.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30)));

            using var refused = DataFolderLock.TryAcquire(Data, out var problem);
            Assert.Null(refused);
            Assert.Contains("another Spillway", problem, StringComparison.Ordinal);
        }
        finally
        {
            // SIGKILL: the process gets no chance to unlock; the OS releases its lock.
            holder.Kill(entireProcessTree: true);
            await holder.WaitForExitAsync();
        }

        using var taken = DataFolderLock.TryAcquire(Data, out var after);
        Assert.NotNull(taken);
        Assert.Null(after);
    }

    [Fact]
    public void TryAcquire_FolderIsAFile_SaysItCannotLockIt()
    {
        File.WriteAllText(Path.Combine(_temp.Path, "file"), "x");

        using var held = DataFolderLock.TryAcquire(Path.Combine(_temp.Path, "file"), out var problem);

        Assert.Null(held);
        Assert.StartsWith("cannot lock the data folder ", problem, StringComparison.Ordinal);
    }
}
