using Spillway.Core.Configuration;
using Spillway.Core.Configuration.Loading;

namespace Spillway.Core.Tests.Configuration.Loading;

/// <summary>The optional <c>storage:</c> block (Redis and PostgreSQL connection strings) and its environment fallback.</summary>
public sealed class StorageSectionTests
{
    private const string RedisString = "127.0.0.1:6379,password=redis-pass-0123456789SECRET";
    private const string PostgresString = "Host=db.internal;Database=spillway;Username=gw;Password=pg-pass-0123456789SECRET";

    private static readonly IReadOnlyDictionary<string, string?> Both = TestEnvironment.Of(
        ("SPILLWAY_REDIS", RedisString), ("SPILLWAY_POSTGRES", PostgresString), ("MY_REDIS", RedisString), ("MY_PG", PostgresString));

    [Fact]
    public void Parse_StorageWithEnv_ReadsBothConnectionStrings()
    {
        var config = ConfigLoader.Parse("storage:\n  redis: { env: MY_REDIS }\n  postgres: { env: MY_PG }\n", "spillway.yaml", Both);

        Assert.Equal(RedisString, config.Storage.Redis?.Reveal());
        Assert.Equal(PostgresString, config.Storage.Postgres?.Reveal());
    }

    [Fact]
    public void Parse_StorageWithValue_ReadsItInline()
    {
        var config = ConfigLoader.Parse(
            $"storage:\n  redis: {{ value: \"{RedisString}\" }}\n  postgres: {{ value: \"{PostgresString}\" }}\n", "spillway.yaml", TestEnvironment.Empty);

        Assert.Equal(RedisString, config.Storage.Redis?.Reveal());
        Assert.Equal(PostgresString, config.Storage.Postgres?.Reveal());
    }

    [Fact]
    public void Parse_OnlyRedis_LeavesPostgresUnsetEvenWithTheVariable()
    {
        var config = ConfigLoader.Parse("storage:\n  redis: { env: MY_REDIS }\n", "spillway.yaml", Both);

        Assert.Equal(RedisString, config.Storage.Redis?.Reveal());
        Assert.Null(config.Storage.Postgres);
    }

    [Fact]
    public void Parse_OnlyPostgres_LeavesRedisUnset()
    {
        var config = ConfigLoader.Parse("storage:\n  postgres: { env: MY_PG }\n", "spillway.yaml", Both);

        Assert.Null(config.Storage.Redis);
        Assert.Equal(PostgresString, config.Storage.Postgres?.Reveal());
    }

    [Fact]
    public void Parse_NoStorageSection_ReadsTheVariables()
    {
        var config = ConfigLoader.Parse("timeouts: { connect_seconds: 5 }\n", "spillway.yaml", Both);

        Assert.Equal(RedisString, config.Storage.Redis?.Reveal());
        Assert.Equal(PostgresString, config.Storage.Postgres?.Reveal());
    }

    [Fact]
    public void Parse_EmptyFile_ReadsTheVariables()
    {
        var config = ConfigLoader.Parse(string.Empty, "spillway.yaml", TestEnvironment.Of(("SPILLWAY_REDIS", RedisString)));

        Assert.Equal(RedisString, config.Storage.Redis?.Reveal());
        Assert.Null(config.Storage.Postgres);
    }

    [Fact]
    public void Parse_NoStorageAndNoVariables_IsNone()
    {
        var config = ConfigLoader.Parse("timeouts: { connect_seconds: 5 }\n", "spillway.yaml", TestEnvironment.Of(("SPILLWAY_REDIS", " ")));

        Assert.True(config.Storage.IsEmpty);
        Assert.Equal("none", config.Storage.Describe());
    }

    [Fact]
    public void FromEnvironment_StorageVariables_AreReadWithoutAConfigFile()
    {
        var config = ConfigLoader.FromEnvironment(TestEnvironment.Of(("SPILLWAY_POSTGRES", PostgresString + "\n")));

        Assert.Null(config.Storage.Redis);
        Assert.Equal(PostgresString, config.Storage.Postgres?.Reveal());
    }

    [Fact]
    public void StorageFromEnvironment_BothVariables_ReadsBoth()
    {
        var storage = ConfigLoader.StorageFromEnvironment(Both);

        Assert.Equal(RedisString, storage.Redis?.Reveal());
        Assert.Equal(PostgresString, storage.Postgres?.Reveal());
    }

    [Theory]
    [InlineData("storage:\n  redis: { env: NOT_SET }\n", "spillway.yaml:2:17: storage.redis.env: environment variable NOT_SET is not set")]
    [InlineData("storage:\n  redis: { env: MY_REDIS }\n  mongo: { env: X }\n", "spillway.yaml:3:3: storage: unknown field 'mongo'")]
    [InlineData("storage:\n  postgres: { env: MY_PG, user: x }\n", "spillway.yaml:2:27: storage.postgres: unknown field 'user'")]
    [InlineData("storage:\n  postgres: {}\n", "spillway.yaml:2:13: storage.postgres: needs value or env (e.g. env: SPILLWAY_POSTGRES)")]
    [InlineData("storage:\n  redis: { value: \"password=x\" }\n", "spillway.yaml:2:10: storage.redis: expected a Redis host (e.g. 127.0.0.1:6379,password=…)")]
    [InlineData("storage:\n  postgres: { value: \"Database=x\" }\n", "spillway.yaml:2:13: storage.postgres: expected a PostgreSQL connection string with a Host (e.g. Host=db;Database=spillway;Username=…;Password=…)")]
    [InlineData("storage: [redis]\n", "spillway.yaml:1:10: storage: expected a mapping with fields redis, postgres, got a list")]
    public void Parse_InvalidStorage_ThrowsOneLineMessageWithPosition(string yaml, string expected)
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(yaml, "spillway.yaml", Both));

        Assert.Equal(expected, error.Message);
    }

    [Theory]
    [InlineData($"storage:\n  redis: \"{RedisString}\"\n")]
    [InlineData($"storage:\n  postgres: \"{PostgresString}\"\n")]
    [InlineData($"storage:\n  redis: {{ env: \"{RedisString}\" }}\n")]
    [InlineData($"storage:\n  postgres: {{ value: \"Database=x;Password=pg-pass-0123456789SECRET\" }}\n")]
    [InlineData($"storage:\n  redis: {{ env: MY_REDIS }}\n  postgres: {{ env: MY_REDIS }}\n")]
    public void Parse_MistakeInStorage_MessageNeverContainsThePassword(string yaml)
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(yaml, "spillway.yaml", Both));

        Assert.DoesNotContain("0123456789SECRET", error.Message, StringComparison.Ordinal);
        Assert.Contains("storage.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ConnectionStringWrittenInline_SaysHowToWriteIt()
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Parse($"storage:\n  redis: \"{RedisString}\"\n", "spillway.yaml", Both));

        Assert.Equal("spillway.yaml:2:10: storage.redis: expected { env: SPILLWAY_REDIS } or { value: \"…\" }, got text", error.Message);
    }

    [Fact]
    public void StorageFromEnvironment_VariableWithoutHost_NamesTheVariableNotItsValue()
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.StorageFromEnvironment(
            TestEnvironment.Of(("SPILLWAY_POSTGRES", "Password=pg-pass-0123456789SECRET"))));

        Assert.Contains("SPILLWAY_POSTGRES", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("0123456789SECRET", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_BothStores_ShowsHostsAndDatabaseNeverPasswords()
    {
        var storage = ConfigLoader.StorageFromEnvironment(Both);

        Assert.Equal("redis (127.0.0.1:6379), postgres (host db.internal, database spillway)", storage.Describe());
        Assert.DoesNotContain("SECRET", storage.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET", ConfigLoader.Parse("timeouts: {}\n", "spillway.yaml", Both).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void StorageFromFile_ProvidersWhoseKeysAreUnset_ReadsOnlyTheStorageSection()
    {
        var path = Path.Combine(Path.GetTempPath(), "spillway-storage-" + Guid.NewGuid().ToString("N") + ".yaml");
        File.WriteAllText(path, """
            providers:
              - id: groq
                preset: groq
                keys: [{ id: groq-1, env: GROQ_KEY_NOT_SET }]
            storage:
              postgres: { env: MY_PG }
            """);
        try
        {
            var storage = ConfigLoader.StorageFromFile(path, Both);

            Assert.Null(storage.Redis);
            Assert.Equal(PostgresString, storage.Postgres?.Reveal());
            Assert.Throws<ConfigException>(() => ConfigLoader.LoadFile(path, Both));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void StorageFromFile_MissingFile_OneLineError()
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.StorageFromFile("no-such-spillway.yaml", Both));

        Assert.Contains("config file not found", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("redis-a:6379, redis-b:6380 ,password=x,ssl=true", "redis-a:6379, redis-b:6380")]
    [InlineData("[::1]:6379", "[::1]:6379")]
    [InlineData("password=x,ssl=true", null)]
    [InlineData("", null)]
    public void RedisTarget_ConfigurationString_ListsOnlyEndpoints(string configuration, string? expected)
    {
        Assert.Equal(expected, StorageConfig.RedisTarget(configuration));
    }

    [Theory]
    [InlineData("Host=db;Port=5433;Database=spillway;Password=x", "host db:5433, database spillway")]
    [InlineData("server = db ; DB = 'spill;way' ; password='a;b'", "host db, database spill;way")]
    [InlineData("Host=db", "host db")]
    [InlineData("Database=x;Password=y", null)]
    [InlineData("Host='db", null)]
    [InlineData("not a connection string", null)]
    public void PostgresTarget_ConnectionString_ShowsHostAndDatabase(string connectionString, string? expected)
    {
        Assert.Equal(expected, StorageConfig.PostgresTarget(connectionString));
    }
}
