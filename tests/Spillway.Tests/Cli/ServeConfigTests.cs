using System.Globalization;
using Spillway.Cli;
using Spillway.Core.Configuration;
using Spillway.TestSupport;
using Spillway.TestSupport.Servers;

namespace Spillway.Tests.Cli;

/// <summary>What <c>serve</c> starts with when the shared PostgreSQL holding the stored keys and clients is away.</summary>
public sealed class ServeConfigTests : IDisposable
{
    private const string Password = "pg-pass-0123456789SECRET";

    private readonly TempDirectory _data = new(create: false);

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task Load_PostgresAwayButTheConfigHasProviders_ServesTheConfigWithAWarning()
    {
        var environment = new Dictionary<string, string?> { ["GROQ_API_KEY"] = "gsk_from-the-environment-0123456789", [StorageConfig.PostgresVariable] = Unreachable() };
        using var warnings = new StringWriter();

        var config = await ServeConfig.LoadAsync(null, _data.Path, environment, TimeProvider.System, warnings, CancellationToken.None);

        Assert.Equal("groq", Assert.Single(config!.Providers).Id);
        Assert.Contains("warning: PostgreSQL spillway@127.0.0.1:", warnings.ToString(), StringComparison.Ordinal);
        Assert.Contains("serving the config's own keys and clients", warnings.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Password, warnings.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Load_PostgresAwayAndNoProvidersOfItsOwn_IsAnErrorNotTheDemo()
    {
        var environment = new Dictionary<string, string?> { [StorageConfig.PostgresVariable] = Unreachable() };

        var error = await Assert.ThrowsAsync<ConfigException>(() =>
            ServeConfig.LoadAsync(null, _data.Path, environment, TimeProvider.System, TextWriter.Null, CancellationToken.None));

        Assert.StartsWith("PostgreSQL spillway@127.0.0.1:", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, error.ToString(), StringComparison.Ordinal);
    }

    /// <summary>A connection string to a loopback port nothing listens on: refused at once.</summary>
    private static string Unreachable() => string.Create(
        CultureInfo.InvariantCulture, $"Host=127.0.0.1;Port={LoopbackPort.Free()};Database=spillway;Username=spillway;Password={Password};Timeout=3");
}
