namespace Spillway.TestSupport;

/// <summary>A fresh folder under the system temp folder, deleted with everything in it on dispose.</summary>
public sealed class TempDirectory : IDisposable
{
    /// <param name="create">False for a test that needs the path only: what it runs must create the folder itself.</param>
    public TempDirectory(bool create = true)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "spillway-tests-" + Guid.NewGuid().ToString("N"));
        if (create)
        {
            Directory.CreateDirectory(Path);
        }
    }

    public string Path { get; }

    public void Dispose()
    {
        try
        {
            if (Directory.Exists(Path))
            {
                Directory.Delete(Path, recursive: true);
            }
        }
        catch (IOException)
        {
            // SQLite may hold a file briefly on some systems; a temp folder left behind is harmless.
        }
    }
}
