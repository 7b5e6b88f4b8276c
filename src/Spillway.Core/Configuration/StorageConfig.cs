using System.Data.Common;
using System.Text;
using Spillway.Core.Providers;

namespace Spillway.Core.Configuration;

/// <summary>
/// The shared stores of a scale-out deployment (<c>storage:</c>): a Redis for live state and a PostgreSQL for records.
/// Each is a connection string held as a <see cref="Secret"/> (it may carry a password); null when not configured.
/// Nothing here prints a password: <see cref="Describe"/> and <see cref="ToString"/> show only the hosts.
/// </summary>
/// <param name="Redis">A StackExchange.Redis configuration string, e.g. <c>127.0.0.1:6379,password=…</c>.</param>
/// <param name="Postgres">An Npgsql connection string, e.g. <c>Host=db.internal;Database=spillway;Username=…;Password=…</c>.</param>
public sealed record StorageConfig(Secret? Redis, Secret? Postgres)
{
    /// <summary>The variable read for <see cref="Redis"/> when the config has no <c>storage:</c> section.</summary>
    public const string RedisVariable = "SPILLWAY_REDIS";

    /// <summary>The variable read for <see cref="Postgres"/> when the config has no <c>storage:</c> section.</summary>
    public const string PostgresVariable = "SPILLWAY_POSTGRES";

    /// <summary>Neither store: everything lives in the data folder's SQLite database.</summary>
    public static StorageConfig None { get; } = new(null, null);

    public bool IsEmpty => Redis is null && Postgres is null;

    /// <summary>
    /// The configured stores for a person, never a password: <c>redis (127.0.0.1:6379), postgres (host db.internal,
    /// database spillway)</c>; <c>none</c> when neither is set.
    /// </summary>
    public string Describe()
    {
        var parts = new List<string>(2);
        if (Redis is not null)
        {
            parts.Add($"redis ({RedisTarget(Redis.Reveal()) ?? "no host"})");
        }

        if (Postgres is not null)
        {
            parts.Add($"postgres ({PostgresTarget(Postgres.Reveal()) ?? "no host"})");
        }

        return parts.Count == 0 ? "none" : string.Join(", ", parts);
    }

    public override string ToString() => $"StorageConfig {{ {Describe()} }}";

    /// <summary>
    /// The endpoints of a StackExchange.Redis configuration string (its comma-separated items without <c>=</c>),
    /// e.g. <c>127.0.0.1:6379</c>; null when it names none. Options such as <c>password=</c> are never part of it.
    /// </summary>
    public static string? RedisTarget(string configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var endpoints = configuration
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(item => !item.Contains('=', StringComparison.Ordinal))
            .ToList();
        return endpoints.Count == 0 ? null : string.Join(", ", endpoints);
    }

    /// <summary>
    /// <c>host H[:port], database D</c> of an Npgsql connection string (<c>Host</c> or <c>Server</c>, <c>Port</c>,
    /// <c>Database</c> or <c>DB</c>), read with the BCL's own connection string parser (quotes and all); null when it
    /// names no host or is not one. The password is never part of it.
    /// </summary>
    public static string? PostgresTarget(string connectionString)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        var pairs = new DbConnectionStringBuilder();
        try
        {
            pairs.ConnectionString = connectionString;
        }
        catch (ArgumentException)
        {
            return null;
        }

        var host = Pick(pairs, "host", "server");
        if (host is null)
        {
            return null;
        }

        var text = new StringBuilder("host ").Append(host);
        if (Pick(pairs, "port") is { } port)
        {
            text.Append(':').Append(port);
        }

        if (Pick(pairs, "database", "db") is { } database)
        {
            text.Append(", database ").Append(database);
        }

        return text.ToString();
    }

    private static string? Pick(DbConnectionStringBuilder pairs, params string[] names)
    {
        foreach (var name in names)
        {
            if (pairs.TryGetValue(name, out var value) && value?.ToString() is { Length: > 0 } text)
            {
                return text;
            }
        }

        return null;
    }
}
