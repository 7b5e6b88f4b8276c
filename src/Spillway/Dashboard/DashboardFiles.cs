using System.Collections.Frozen;
using System.Security.Cryptography;

namespace Spillway.Dashboard;

/// <summary>
/// The dashboard's static files (<c>Dashboard/wwwroot</c>), embedded in the executable at build time as resources
/// named <c>ui/…</c>, so the native binary needs no folder beside it and the page loads nothing from elsewhere.
/// Read once at start, each with its content type and a content hash as its ETag.
/// </summary>
internal sealed class DashboardFiles
{
    private const string Prefix = "ui/";

    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".svg"] = "image/svg+xml",
        [".png"] = "image/png",
        [".ico"] = "image/x-icon",
        [".woff2"] = "font/woff2",
        [".json"] = "application/json",
        [".txt"] = "text/plain; charset=utf-8",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private readonly FrozenDictionary<string, DashboardFile> _files;

    public DashboardFiles()
    {
        var assembly = typeof(DashboardFiles).Assembly;
        var files = new Dictionary<string, DashboardFile>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames())
        {
            if (!name.StartsWith(Prefix, StringComparison.Ordinal) || !ContentTypes.TryGetValue(Path.GetExtension(name), out var type))
            {
                continue;
            }

            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var bytes = copy.ToArray();
            var etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(bytes).AsSpan(0, 8)) + "\"";
            files[name[Prefix.Length..].Replace('\\', '/')] = new DashboardFile(bytes, type, etag);
        }

        _files = files.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>The file at <paramref name="path"/> under <c>/ui/</c> (e.g. <c>assets/app.js</c>), or null.</summary>
    public DashboardFile? Find(string path) => _files.GetValueOrDefault(path);
}

/// <summary>One embedded file of the dashboard.</summary>
internal sealed record DashboardFile(byte[] Bytes, string ContentType, string ETag);
