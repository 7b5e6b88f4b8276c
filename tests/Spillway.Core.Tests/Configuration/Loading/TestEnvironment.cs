namespace Spillway.Core.Tests.Configuration.Loading;

/// <summary>Builds the explicit environment the loader takes, so no test reads or changes the process environment.</summary>
internal static class TestEnvironment
{
    public static IReadOnlyDictionary<string, string?> Empty { get; } = new Dictionary<string, string?>();

    public static IReadOnlyDictionary<string, string?> Of(params (string Name, string? Value)[] variables) =>
        variables.ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal);
}
