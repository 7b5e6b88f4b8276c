using Spillway.Core.Configuration;
using Spillway.Core.Configuration.Loading;

namespace Spillway.Core.Tests.Configuration.Loading;

/// <summary>No error message may carry a credential, whatever field the mistake is in.</summary>
public sealed class ConfigLoaderSecretTests
{
    private const string Secret = "sk-live-0123456789abcdefSECRET";
    private const string EnvSecret = "gsk_env0123456789abcdefSECRET";

    private static readonly IReadOnlyDictionary<string, string?> Environment = TestEnvironment.Of(("GROQ_API_KEY", EnvSecret));

    public static TheoryData<string, string> LeakyConfigs { get; } = new()
    {
        // The key is also pasted where a route belongs.
        { "KeyPastedIntoRoute", $"providers:\n  - id: groq\n    preset: groq\n    keys: [{{ value: {Secret} }}]\nmodels:\n  - id: a\n    route: [{Secret}]\n" },
        { "KeyPastedAsRouteProvider", $"providers:\n  - id: groq\n    preset: groq\n    keys: [{{ value: {Secret} }}]\nmodels:\n  - id: a\n    route: [{Secret}/model]\n" },
        { "EnvValuePastedIntoAliasId", $"providers:\n  - id: groq\n    preset: groq\n    keys: [{{ env: GROQ_API_KEY }}]\nmodels:\n  - id: groq/{EnvSecret}\n    route: [groq/a]\n" },
        { "KeyPastedUnderEnv", $"providers:\n  - id: groq\n    preset: groq\n    keys: [{{ env: {Secret} }}]\n" },
        { "KeyWhereKeyMappingBelongs", $"providers:\n  - id: groq\n    preset: groq\n    keys: [{Secret}]\n" },
        { "KeyAsKeysField", $"providers:\n  - id: groq\n    preset: groq\n    keys: {Secret}\n" },
        { "KeyAsUnknownFieldName", $"providers:\n  - id: groq\n    preset: groq\n    {Secret}: true\n" },
        { "KeyAsKeyId", $"providers:\n  - id: groq\n    preset: groq\n    keys:\n      - {{ id: {Secret}, value: a }}\n      - {{ id: {Secret}, value: b }}\n" },
        { "ValueOfWrongType", $"providers:\n  - id: groq\n    preset: groq\n    keys: [{{ value: [{Secret}] }}]\n" },
        { "AdminTokenInPricingRoute", $"auth:\n  admin_token: {Secret}\npricing:\n  - {{ route: {Secret}, input: 1, output: 1 }}\n" },
        { "ClientKeyAsFormat", $"providers:\n  - id: x\n    format: {Secret}\nauth:\n  clients: [{{ id: c, value: {Secret} }}]\n" },
        { "UnterminatedQuotedKey", $"providers:\n  - id: groq\n    preset: groq\n    keys: [{{ value: \"{Secret} }}]\n  - id: b\n" },
        { "SharedClientKey", $"auth:\n  clients:\n    - {{ id: a, value: {Secret} }}\n    - {{ id: b, value: {Secret} }}\n" },
    };

    [Theory]
    [MemberData(nameof(LeakyConfigs))]
    public void Parse_MistakeNearASecret_MessageNeverContainsIt(string scenario, string yaml)
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(yaml, "spillway.yaml", Environment));

        Assert.False(error.Message.Contains(Secret, StringComparison.Ordinal), $"{scenario}: {error.Message}");
        Assert.False(error.Message.Contains(EnvSecret, StringComparison.Ordinal), $"{scenario}: {error.Message}");

        // Not even a recognisable part of it.
        Assert.False(error.Message.Contains("0123456789abcdef", StringComparison.Ordinal), $"{scenario}: {error.Message}");
    }

    [Fact]
    public void Parse_KeyPastedIntoRoute_MasksItInAnOtherwiseExactMessage()
    {
        var yaml = $"providers:\n  - id: groq\n    preset: groq\n    keys: [{{ value: {Secret} }}]\nmodels:\n  - id: a\n    route: [{Secret}]\n";

        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(yaml, "spillway.yaml", Environment));

        Assert.Equal("spillway.yaml:7:13: models[0].route[0]: <hidden: looks like a key> is not a route: expected provider/model", error.Message);
    }

    [Fact]
    public void Parse_ShortSecretInRoute_IsMaskedAsAWord()
    {
        // Too short to look like a key by its shape; the scrubber knows it from `value:`.
        var yaml = "providers:\n  - id: groq\n    preset: groq\n    keys: [{ value: hunter2 }]\nmodels:\n  - id: a\n    route: [hunter2]\n";

        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(yaml, "spillway.yaml", Environment));

        Assert.Equal("spillway.yaml:7:13: models[0].route[0]: '***' is not a route: expected provider/model", error.Message);
    }

    [Fact]
    public void Parse_SecretsRead_AreMaskedWhenPrinted()
    {
        var config = ConfigLoader.Parse(
            "providers:\n  - id: groq\n    preset: groq\n    keys: [{ env: GROQ_API_KEY }]\n", "spillway.yaml", Environment);

        var key = config.Providers[0].Keys[0];
        Assert.Equal(EnvSecret, key.Value.Reveal());
        Assert.DoesNotContain(EnvSecret, key.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(EnvSecret, config.Providers[0].ToString(), StringComparison.Ordinal);
    }
}
