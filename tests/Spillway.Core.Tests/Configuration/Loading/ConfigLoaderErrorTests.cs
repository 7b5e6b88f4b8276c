using Spillway.Core.Configuration;
using Spillway.Core.Configuration.Loading;

namespace Spillway.Core.Tests.Configuration.Loading;

public sealed class ConfigLoaderErrorTests
{
    private static readonly IReadOnlyDictionary<string, string?> Environment = TestEnvironment.Of(("GROQ_API_KEY", "gsk-env"));

    [Theory]
    [InlineData(
        "YamlSyntax",
        "providers:\n  - id: groq\n    format: openai\n   preset: groq\n",
        "spillway.yaml:4:4: invalid YAML: While parsing a block collection, did not find expected '-' indicator")]
    [InlineData(
        "UnclosedFlowList",
        "providers:\n  - id: groq\n    models: [a, b\n",
        "spillway.yaml:4:1: invalid YAML: While parsing a flow sequence, did not find expected ',' or ']'")]
    [InlineData(
        "BrokenFlowListBeforeKey",
        "providers: [a, b\nmodels: []\n",
        "spillway.yaml:2:1: invalid YAML: unclosed or broken [ ] or { } collection")]
    [InlineData(
        "TwoDocuments",
        "providers: []\n---\nmodels: []\n",
        "spillway.yaml:3:1: expected one YAML document, found 2")]
    [InlineData(
        "UnknownSection",
        "provider:\n  - id: groq\n",
        "spillway.yaml:1:1: unknown field 'provider' (did you mean 'providers'?)")]
    [InlineData(
        "UnknownProviderField",
        "providers:\n  - id: local\n    format: openai\n    base_ulr: http://localhost:8080/v1\n",
        "spillway.yaml:4:5: providers[0]: unknown field 'base_ulr' (did you mean 'base_url'?)")]
    [InlineData(
        "UnknownFieldCamelCase",
        "timeouts:\n  connectSeconds: 3\n",
        "spillway.yaml:2:3: timeouts: unknown field 'connectSeconds' (did you mean 'connect_seconds'?)")]
    [InlineData(
        "UnknownFieldNoSuggestion",
        "providers:\n  - id: groq\n    preset: groq\n    colour: blue\n",
        "spillway.yaml:4:5: providers[0]: unknown field 'colour'")]
    [InlineData(
        "UnknownFormat",
        "providers:\n  - id: groq\n    preset: groq\n  - id: local\n    format: opneai\n    base_url: http://localhost:8080/v1\n",
        "spillway.yaml:5:13: providers[1].format: unknown format 'opneai' (expected openai, anthropic, gemini or openai-responses)")]
    [InlineData(
        "ProvidersNotAList",
        "providers:\n  groq: {}\n",
        "spillway.yaml:2:3: providers: expected a list, got a mapping")]
    [InlineData(
        "KeysNotAList",
        "providers:\n  - id: groq\n    preset: groq\n    keys: gsk-key\n",
        "spillway.yaml:4:11: providers[0].keys: expected a list, got '***'")]
    [InlineData(
        "LimitNotANumber",
        "providers:\n  - id: groq\n    preset: groq\n    keys:\n      - value: k\n        limits: { rpm: lots }\n",
        "spillway.yaml:6:24: providers[0].keys[0].limits.rpm: expected a whole number, got 'lots'")]
    [InlineData(
        "BoolNotABool",
        "providers:\n  - id: groq\n    preset: groq\n    may_train_on_prompts: maybe\n",
        "spillway.yaml:4:27: providers[0].may_train_on_prompts: expected true or false, got 'maybe'")]
    [InlineData(
        "MissingProviderId",
        "providers:\n  - preset: groq\n",
        "spillway.yaml:2:5: providers[0].id: missing; every provider needs an id (used in routes as id/model)")]
    [InlineData(
        "MissingFormatWithPresetHint",
        "providers:\n  - id: groq\n    keys: [{ env: GROQ_API_KEY }]\n",
        "spillway.yaml:2:5: providers[0].format: missing; set format (openai, anthropic, gemini or openai-responses) or a preset (preset: groq fills it)")]
    [InlineData(
        "MissingBaseUrl",
        "providers:\n  - id: local\n    format: openai\n",
        "spillway.yaml:2:5: providers[0].base_url: missing; set base_url or a preset")]
    [InlineData(
        "PresetWithoutThatFormat",
        "providers:\n  - id: groq\n    preset: groq\n    format: anthropic\n",
        "spillway.yaml:4:13: providers[0].format: preset 'groq' has no anthropic endpoint; set base_url too")]
    [InlineData(
        "BaseUrlNotAbsolute",
        "providers:\n  - id: local\n    format: openai\n    base_url: localhost:8080/v1\n",
        "spillway.yaml:4:15: providers[0].base_url: expected an absolute http(s) URL, got 'localhost:8080/v1'")]
    [InlineData(
        "InvalidProviderId",
        "providers:\n  - id: my/groq\n    preset: groq\n",
        "spillway.yaml:2:9: providers[0].id: 'my/groq' is not a valid id (use letters, digits, '.', '_' or '-')")]
    [InlineData(
        "KeyWithoutSecret",
        "providers:\n  - id: groq\n    preset: groq\n    keys:\n      - id: groq-1\n        tier: free\n",
        "spillway.yaml:5:9: providers[0].keys[0]: needs value or env (e.g. env: GROQ_API_KEY)")]
    [InlineData(
        "KeyWithValueAndEnv",
        "providers:\n  - id: groq\n    preset: groq\n    keys:\n      - value: gsk-inline\n        env: GROQ_API_KEY\n",
        "spillway.yaml:6:14: providers[0].keys[0].env: set either value or env, not both")]
    [InlineData(
        "UnknownTier",
        "providers:\n  - id: groq\n    preset: groq\n    keys:\n      - value: k\n        tier: gratis\n",
        "spillway.yaml:6:15: providers[0].keys[0].tier: unknown tier 'gratis' (expected free or paid)")]
    [InlineData(
        "DuplicateProviderId",
        "providers:\n  - id: groq\n    preset: groq\n  - id: groq\n    preset: groq\n",
        "spillway.yaml:4:9: providers[1].id: duplicate provider id 'groq' (first used on line 2)")]
    [InlineData(
        "DuplicateKeyIdAcrossProviders",
        "providers:\n  - id: groq\n    preset: groq\n    keys: [{ id: main, value: a }]\n  - id: gemini\n    preset: gemini\n    keys:\n      - id: main\n        value: b\n",
        "spillway.yaml:8:13: providers[1].keys[0].id: duplicate key id 'main' (first used on line 4; key ids are unique across providers)")]
    [InlineData(
        "UnknownPreset",
        "providers:\n  - id: groq\n    preset: grok\n",
        "spillway.yaml:3:13: providers[0].preset: unknown preset 'grok' (did you mean 'groq'?) (known: gemini, groq, cerebras, openrouter, mistral, github-models, openai, anthropic, deepinfra, together, fireworks)")]
    [InlineData(
        "EnvironmentVariableNotSet",
        "providers:\n  - id: gemini\n    preset: gemini\n    keys:\n      - env: GEMINI_API_KEY\n",
        "spillway.yaml:5:14: providers[0].keys[0].env: environment variable GEMINI_API_KEY is not set")]
    [InlineData(
        "EnvironmentVariableNameInvalid",
        "providers:\n  - id: groq\n    preset: groq\n    keys:\n      - env: $GROQ_API_KEY\n",
        "spillway.yaml:5:14: providers[0].keys[0].env: '$GROQ_API_KEY' is not an environment variable name (letters, digits and '_')")]
    [InlineData(
        "NegativeLimit",
        "providers:\n  - id: groq\n    preset: groq\n    keys:\n      - value: k\n        limits:\n          rpd: -5\n",
        "spillway.yaml:7:16: providers[0].keys[0].limits.rpd: must not be negative, got -5")]
    [InlineData(
        "ZeroTimeout",
        "timeouts:\n  connect_seconds: 5\n  first_token_seconds: 0\n",
        "spillway.yaml:3:24: timeouts.first_token_seconds: must be more than 0 seconds, got 0")]
    [InlineData(
        "NegativeProviderTimeout",
        "providers:\n  - id: groq\n    preset: groq\n    timeouts: { idle_stream_seconds: -1 }\n",
        "spillway.yaml:4:38: providers[0].timeouts.idle_stream_seconds: must be more than 0 seconds, got -1")]
    [InlineData(
        "CredentialHeader",
        "providers:\n  - id: groq\n    preset: groq\n    headers:\n      Authorization: Bearer x\n",
        "spillway.yaml:5:7: providers[0].headers.Authorization: credentials belong under keys:, not headers:")]
    public void Parse_InvalidConfig_ThrowsOneLineMessageWithPosition(string scenario, string yaml, string expected)
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(yaml, "spillway.yaml", Environment));

        Assert.True(expected == error.Message, $"{scenario}:\nexpected {expected}\nactual   {error.Message}");
        Assert.DoesNotContain('\n', error.Message);
    }

    [Theory]
    [InlineData(
        "AliasWithoutRoute",
        "models:\n  - id: smart\n    strategy: ordered\n",
        "spillway.yaml:5:5: models[0].route: missing; an alias needs at least one provider/model step")]
    [InlineData(
        "AliasWithEmptyRoute",
        "models:\n  - id: smart\n    route: []\n",
        "spillway.yaml:5:5: models[0].route: missing; an alias needs at least one provider/model step")]
    [InlineData(
        "AliasWithoutId",
        "models:\n  - route: [groq/llama-3.1-8b-instant]\n",
        "spillway.yaml:5:5: models[0].id: missing; every alias needs the model name clients will ask for")]
    [InlineData(
        "DuplicateAlias",
        "models:\n  - id: smart\n    route: [groq/a]\n  - id: smart\n    route: [groq/b]\n",
        "spillway.yaml:7:9: models[1].id: duplicate alias 'smart' (first used on line 5)")]
    [InlineData(
        "UnknownStrategy",
        "models:\n  - id: smart\n    strategy: random\n    route: [groq/a]\n",
        "spillway.yaml:6:15: models[0].strategy: unknown strategy 'random' (expected free-first, ordered, cheapest or fastest)")]
    [InlineData(
        "RouteUnknownProvider",
        "models:\n  - id: smart\n    route:\n      - groq/llama-3.3-70b-versatile\n      - grok/llama-3.3-70b-versatile\n",
        "spillway.yaml:8:9: models[0].route[1]: route 'grok/llama-3.3-70b-versatile' names unknown provider 'grok' (did you mean 'groq'?) (configured: groq)")]
    [InlineData(
        "RouteWithoutSlash",
        "models:\n  - id: smart\n    route: [llama-3.3-70b-versatile]\n",
        "spillway.yaml:6:13: models[0].route[0]: 'llama-3.3-70b-versatile' is not a route: expected provider/model")]
    [InlineData(
        "RouteNamesAlias",
        "models:\n  - id: fast\n    route: [groq/a]\n  - id: smart\n    route: [fast]\n",
        "spillway.yaml:8:13: models[1].route[0]: 'fast' is not a route: expected provider/model; 'fast' is an alias, and aliases cannot name aliases")]
    [InlineData(
        "RouteWithoutModel",
        "models:\n  - id: smart\n    route: [groq/]\n",
        "spillway.yaml:6:13: models[0].route[0]: 'groq/' names no model after the provider")]
    [InlineData(
        "RouteTwice",
        "models:\n  - id: smart\n    route: [groq/a, groq/a]\n",
        "spillway.yaml:6:21: models[0].route[1]: 'groq/a' is already in this route")]
    [InlineData(
        "AliasClashesWithRoute",
        "models:\n  - id: groq/llama-3.3-70b-versatile\n    route: [groq/llama-3.1-8b-instant]\n",
        "spillway.yaml:5:9: models[0].id: alias 'groq/llama-3.3-70b-versatile' clashes with the routes of provider 'groq'")]
    [InlineData(
        "PriceUnknownProvider",
        "pricing:\n  - { route: openai/gpt-4o-mini, input: 0.15, output: 0.6 }\n",
        "spillway.yaml:5:14: pricing[0].route: route 'openai/gpt-4o-mini' names unknown provider 'openai' (configured: groq)")]
    [InlineData(
        "PriceNegative",
        "pricing:\n  - route: groq/a\n    input: -0.1\n    output: 0.6\n",
        "spillway.yaml:6:12: pricing[0].input: must not be negative, got -0.1")]
    [InlineData(
        "PriceMissingOutput",
        "pricing:\n  - route: groq/a\n    input: 0.1\n",
        "spillway.yaml:5:5: pricing[0].output: missing; USD per million output tokens")]
    [InlineData(
        "CatalogRefreshZero",
        "catalog:\n  openrouter: { refresh_minutes: 0 }\n",
        "spillway.yaml:5:34: catalog.openrouter.refresh_minutes: must be at least 1")]
    [InlineData(
        "DuplicateClient",
        "auth:\n  clients:\n    - { id: team, value: a }\n    - { id: team, value: b }\n",
        "spillway.yaml:7:13: auth.clients[1].id: duplicate client id 'team' (first used on line 6)")]
    [InlineData(
        "ClientsShareAKey",
        "auth:\n  clients:\n    - { id: team-a, value: shared-key }\n    - { id: team-b, value: shared-key }\n",
        "spillway.yaml:7:28: auth.clients[1].value: same key as client 'team-a'; every client needs its own key")]
    [InlineData(
        "AdminTokenEnvNotSet",
        "auth:\n  admin_token: { env: SPILLWAY_ADMIN_TOKEN }\n",
        "spillway.yaml:5:23: auth.admin_token.env: environment variable SPILLWAY_ADMIN_TOKEN is not set")]
    [InlineData(
        "BudgetNotANumber",
        "auth:\n  clients:\n    - id: team\n      value: k\n      budget_usd_per_day: five\n",
        "spillway.yaml:8:27: auth.clients[0].budget_usd_per_day: expected a number, got 'five'")]
    [InlineData(
        "ClientHashNotHex",
        "auth:\n  clients:\n    - { id: team, key_sha256: abc }\n",
        "spillway.yaml:6:31: auth.clients[0].key_sha256: expected the key's SHA-256 as 64 hex digits")]
    [InlineData(
        "ClientHashAndValue",
        "auth:\n  clients:\n    - { id: team, value: k, key_sha256: 0000000000000000000000000000000000000000000000000000000000000000 }\n",
        "spillway.yaml:6:41: auth.clients[0].key_sha256: set one of value, env or key_sha256")]
    [InlineData(
        "ClientRpmZero",
        "auth:\n  clients:\n    - { id: team, value: k, rpm: 0 }\n",
        "spillway.yaml:6:34: auth.clients[0].rpm: must be at least 1 (leave it out for no limit)")]
    [InlineData(
        "ClientDataPolicyUnknown",
        "auth:\n  clients:\n    - { id: team, value: k, data_policy: never }\n",
        "spillway.yaml:6:42: auth.clients[0].data_policy: expected no-train or any, got 'never'")]
    public void Parse_InvalidModelsPricingOrAuth_ThrowsOneLineMessageWithPosition(string scenario, string yaml, string expected)
    {
        const string groq = "providers:\n  - id: groq\n    preset: groq\n";
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(groq + yaml, "spillway.yaml", Environment));

        // Every case starts after the three lines of that groq provider.
        Assert.True(expected == error.Message, $"{scenario}:\nexpected {expected}\nactual   {error.Message}");
    }

    [Fact]
    public void Parse_Error_CarriesStructuredPosition()
    {
        var error = Assert.Throws<ConfigException>(() =>
            ConfigLoader.Parse("providers:\n  - id: groq\n    format: opneai\n", "conf/spillway.yaml", Environment));

        Assert.Equal("conf/spillway.yaml", error.File);
        Assert.Equal(3, error.Line);
        Assert.Equal(13, error.Column);
        Assert.Equal("providers[0].format", error.FieldPath);
        Assert.Equal("unknown format 'opneai' (expected openai, anthropic, gemini or openai-responses)", error.Problem);
    }

    [Fact]
    public void LoadFile_MissingFile_NamesTheFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}.yaml");

        var error = Assert.Throws<ConfigException>(() => ConfigLoader.LoadFile(path, Environment));

        Assert.Equal($"{path}: config file not found", error.Message);
    }

    [Fact]
    public void LoadFile_RelativeMissingFile_AddsTheFullPath()
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.LoadFile("no-such-spillway.yaml", Environment));

        Assert.Equal($"no-such-spillway.yaml: config file not found ({Path.GetFullPath("no-such-spillway.yaml")})", error.Message);
    }

    [Fact]
    public void LoadFile_SyntaxError_NamesTheFileAsGiven()
    {
        var path = Path.Combine(Path.GetTempPath(), $"broken-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, "providers:\n  - id: groq\n    preset: [groq\n");
        try
        {
            var error = Assert.Throws<ConfigException>(() => ConfigLoader.LoadFile(path, Environment));

            Assert.StartsWith($"{path}:4:1: invalid YAML", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
