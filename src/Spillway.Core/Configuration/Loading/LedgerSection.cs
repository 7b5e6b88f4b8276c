using Spillway.Core.Configuration.Yaml;

namespace Spillway.Core.Configuration.Loading;

/// <summary>Reads <c>ledger:</c>; a field left out keeps its default.</summary>
internal static class LedgerSection
{
    public static readonly string[] Fields = ["retention_days", "responses_retention_days"];

    public static LedgerConfig Read(YamlMap root)
    {
        if (root.Map("ledger", Fields) is not { } map)
        {
            return LedgerConfig.Default;
        }

        var days = map.WholeNumber("retention_days", max: LedgerConfig.MaxRetentionDays);
        var responses = map.WholeNumber("responses_retention_days", max: LedgerConfig.MaxRetentionDays);
        return new LedgerConfig(days is { } n ? (int)n : LedgerConfig.Default.RetentionDays)
        {
            ResponsesRetentionDays = responses is { } r ? (int)r : LedgerConfig.DefaultResponsesRetentionDays,
        };
    }
}
