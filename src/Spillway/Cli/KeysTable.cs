using System.Globalization;
using Spectre.Console;
using Spillway.Core.Providers;
using Spillway.Core.Secrets;

namespace Spillway.Cli;

/// <summary>The <c>spillway keys list</c> table: what is stored, never a key (only its last four characters).</summary>
internal static class KeysTable
{
    public static Table Of(IReadOnlyList<StoredKeyInfo> keys)
    {
        var table = new Table()
            .AddColumn("Id")
            .AddColumn("Provider")
            .AddColumn("Tier")
            .AddColumn("Key")
            .AddColumn("Limits")
            .AddColumn("Added")
            .AddColumn("Re-sealed");
        foreach (var key in keys)
        {
            table.AddRow(
                Markup.Escape(key.Id),
                Markup.Escape(key.Provider),
                key.Tier == KeyTier.Free ? "free" : "paid",
                Markup.Escape("…" + key.Last4),
                Markup.Escape(Limits(key.Limits)),
                Stamp(key.AddedAt),
                key.RotatedAt is { } rotated ? Stamp(rotated) : "-");
        }

        return table;
    }

    /// <summary>The same facts for <c>keys list --json</c>.</summary>
    public static IReadOnlyList<StoredKeyJson> Json(IReadOnlyList<StoredKeyInfo> keys) =>
    [
        .. keys.Select(key => new StoredKeyJson(
            key.Id,
            key.Provider,
            key.Tier == KeyTier.Free ? "free" : "paid",
            "…" + key.Last4,
            new LimitsJson(key.Limits.Rpm, key.Limits.Rpd, key.Limits.Tpm, key.Limits.Tpd),
            key.AddedAt,
            key.RotatedAt)),
    ];

    /// <summary>The limits stated with the key; the rest come from the provider's preset.</summary>
    private static string Limits(KeyLimits limits)
    {
        var stated = new List<string>();
        Add(stated, "rpm", limits.Rpm);
        Add(stated, "rpd", limits.Rpd);
        Add(stated, "tpm", limits.Tpm);
        Add(stated, "tpd", limits.Tpd);
        return stated.Count == 0 ? "preset" : string.Join(", ", stated);
    }

    private static void Add(List<string> stated, string name, long? value)
    {
        if (value is { } v)
        {
            stated.Add(string.Create(CultureInfo.InvariantCulture, $"{name} {v:N0}"));
        }
    }

    private static string Stamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
