using System.Text.Json;
using System.Text.Json.Serialization;

namespace Spillway.Cli;

/// <summary>
/// What <c>--json</c> prints: the facts of each command's table, snake_case like the admin API, never a secret
/// (a provider key shows its last four characters only, as in the tables).
/// </summary>
internal static class CliJson
{
    /// <summary>Writes <paramref name="value"/> to <paramref name="output"/> as one indented JSON document and a newline.</summary>
    public static async Task WriteAsync<T>(TextWriter output, T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
    {
        await output.WriteLineAsync(JsonSerializer.Serialize(value, type));
    }
}

/// <summary><c>spillway usage --json</c>.</summary>
internal sealed record UsageJson(string Since, IReadOnlyList<UsageDayJson> Days, UsageSumJson Total);

internal sealed record UsageDayJson(string Day, long Requests, decimal CostUsd, decimal SavedUsd, long UnpricedRequests, IReadOnlyList<UsageRouteJson> Routes);

internal sealed record UsageRouteJson(string Route, long Requests, decimal CostUsd, decimal SavedUsd, long UnpricedRequests, long InputTokens, long OutputTokens);

internal sealed record UsageSumJson(long Requests, decimal CostUsd, decimal SavedUsd, long UnpricedRequests);

/// <summary>One stored key of <c>spillway keys list --json</c>: never the key, only <c>…</c> and its last four characters.</summary>
internal sealed record StoredKeyJson(string Id, string Provider, string Tier, string SecretHint, LimitsJson Limits, DateTimeOffset AddedAt, DateTimeOffset? RotatedAt);

/// <summary>A key's stated limits; null where the preset's figure applies.</summary>
internal sealed record LimitsJson(int? Rpm, int? Rpd, long? Tpm, long? Tpd);

/// <summary>One stored client of <c>spillway clients list --json</c>: its allowance, never its key or its hash.</summary>
internal sealed record StoredClientJson(string Id, bool AllowPaid, string DataPolicy, int? Rpm, IReadOnlyList<string> Models, BudgetJson Budget, DateTimeOffset AddedAt);

/// <summary>A client's budgets in USD; null for no limit.</summary>
internal sealed record BudgetJson(decimal? UsdPerDay, decimal? UsdPerMonth);

/// <summary><c>spillway models --json</c>: where the list came from and when it was read, and the models shown.</summary>
/// <param name="Source"><c>live</c> or <c>cached</c>.</param>
/// <param name="LiveError">Why the live list could not be read, when the cached one is shown.</param>
internal sealed record ModelsJson(string Source, Uri BaseUrl, DateTimeOffset FetchedAt, string? LiveError, IReadOnlyList<ModelJson> Models);

internal sealed record ModelJson(string Id, string? Name, int? ContextLength, bool? Tools, bool? Vision, bool? Json, bool Free);

/// <summary><c>spillway config check --json</c>: the config as <c>serve</c> would run it, without a secret value.</summary>
internal sealed record ConfigCheckJson(
    string Source, string Data, IReadOnlyList<ConfigProviderJson> Providers, IReadOnlyList<ConfigAliasJson> Models, IReadOnlyList<string> Clients, ConfigStorageJson Storage);

/// <summary>The shared stores configured, each only as its host (and database), never its connection string; null when not set.</summary>
internal sealed record ConfigStorageJson(string? Redis, string? Postgres);

internal sealed record ConfigProviderJson(string Id, string Format, Uri BaseUrl, IReadOnlyList<ConfigKeyJson> Keys);

internal sealed record ConfigKeyJson(string Id, string Tier);

/// <summary>An alias, the routes it lists, and the steps (route and key) a plain request to it is tried in, in order.</summary>
internal sealed record ConfigAliasJson(string Id, string Strategy, IReadOnlyList<string> Routes, IReadOnlyList<ConfigStepJson> Chain);

internal sealed record ConfigStepJson(string Route, string Key, string Tier);

/// <summary>Source-generated JSON for the CLI's <c>--json</c> output (no reflection: Native AOT).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(UsageJson))]
[JsonSerializable(typeof(IReadOnlyList<StoredKeyJson>))]
[JsonSerializable(typeof(IReadOnlyList<StoredClientJson>))]
[JsonSerializable(typeof(ModelsJson))]
[JsonSerializable(typeof(ConfigCheckJson))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
