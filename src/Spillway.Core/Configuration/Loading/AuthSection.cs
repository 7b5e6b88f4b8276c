using System.Collections.Immutable;
using Spillway.Core.Configuration.Yaml;
using Spillway.Core.Providers;
using YamlDotNet.RepresentationModel;

namespace Spillway.Core.Configuration.Loading;

/// <summary>Reads <c>auth:</c>: the admin token and the clients' virtual keys.</summary>
internal static class AuthSection
{
    private static readonly string[] Fields = ["admin_token", "clients"];
    private static readonly string[] ClientFields =
    [
        "id", "value", "env", "key_sha256", "allow_paid", "budget_usd_per_day", "budget_usd_per_month", "rpm", "models", "data_policy",
    ];

    public static AuthConfig Read(YamlMap root)
    {
        if (root.Map("auth", Fields) is not { } map)
        {
            return AuthConfig.None;
        }

        return new AuthConfig
        {
            AdminToken = map.Get("admin_token") is { } token ? ReadAdminToken(map, token) : null,
            Clients = ReadClients(map),
        };
    }

    // `value:` / `env:` (the key, hashed here and never kept) or `key_sha256:` (the hash `spillway clients add` prints).
    private static string ReadKeyHash(YamlMap map)
    {
        if (map.Text("key_sha256") is not { } hash)
        {
            return ClientKeyHash.Of(SecretReader.Read(map, "SPILLWAY_CLIENT_KEY").Reveal());
        }

        if (map.Has("value") || map.Has("env"))
        {
            throw map.Error("key_sha256", "set one of value, env or key_sha256");
        }

        return ClientKeyHash.IsHash(hash.Trim())
            ? hash.Trim().ToLowerInvariant()
            : throw map.Error("key_sha256", "expected the key's SHA-256 as 64 hex digits");
    }

    private static bool ReadDataPolicy(YamlMap map) => map.Text("data_policy") switch
    {
        null or "any" => false,
        "no-train" => true,
        var other => throw map.Error("data_policy", $"expected no-train or any, got {YamlValues.Quote(other)}"),
    };

    // `admin_token: "..."` or `admin_token: { env: SPILLWAY_ADMIN_TOKEN }`.
    private static Secret ReadAdminToken(YamlMap map, YamlNode token) => token switch
    {
        YamlScalarNode { Value: { } value } => value.Trim().Length > 0
            ? new Secret(value.Trim())
            : throw map.Error("admin_token", "must not be empty"),
        YamlMappingNode => SecretReader.Read(YamlMap.Open(map.Context, token, map.PathOf("admin_token"), SecretReader.Fields), "SPILLWAY_ADMIN_TOKEN"),
        _ => throw map.Error("admin_token", $"expected the token or {{ env: VARIABLE }}, got {YamlValues.Describe(token)}"),
    };

    private static ImmutableArray<ClientKeyConfig> ReadClients(YamlMap auth)
    {
        var clients = ImmutableArray.CreateBuilder<ClientKeyConfig>();
        var idLines = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (node, path) in auth.List("clients"))
        {
            var map = YamlMap.Open(auth.Context, node, path, ClientFields);
            var id = ConfigNames.Id(map, "id", "every client needs an id (shown in the ledger)");
            if (!idLines.TryAdd(id, ConfigReadContext.Line(map.Get("id")!)))
            {
                throw map.Error("id", $"duplicate client id {YamlValues.Quote(id)} (first used on line {idLines[id]})");
            }

            var hash = ReadKeyHash(map);

            // Two clients with one key could not be told apart: budgets and allow_paid would apply to the wrong one.
            if (clients.FirstOrDefault(c => c.KeyHash == hash) is { } twin)
            {
                var field = map.Has("env") ? "env" : map.Has("key_sha256") ? "key_sha256" : "value";
                throw map.Error(field, $"same key as client {YamlValues.Quote(twin.Id)}; every client needs its own key");
            }

            clients.Add(new ClientKeyConfig(id, hash)
            {
                AllowPaid = map.Bool("allow_paid") ?? true,
                BudgetUsdPerDay = map.Amount("budget_usd_per_day"),
                BudgetUsdPerMonth = map.Amount("budget_usd_per_month"),
                RequestsPerMinute = map.WholeNumber("rpm", int.MaxValue) is { } rpm
                    ? rpm > 0 ? (int)rpm : throw map.Error("rpm", "must be at least 1 (leave it out for no limit)")
                    : null,
                AllowedModels = map.TextList("models"),
                NoTrain = ReadDataPolicy(map),
            });
        }

        return clients.ToImmutable();
    }
}
