using System.Collections.Immutable;
using Spillway.Core.Configuration.Yaml;
using Spillway.Core.Providers;
using Spillway.Core.Providers.Presets;
using Spillway.Core.Providers.RateLimits;

namespace Spillway.Core.Configuration.Loading;

/// <summary>Reads <c>providers:</c>: each entry is a preset's data (if it names one) with its own fields on top.</summary>
internal static class ProvidersSection
{
    private static readonly string[] Fields =
        ["id", "format", "preset", "base_url", "auth", "may_train_on_prompts", "keys", "timeouts", "headers", "models", "max_output_tokens",
         "key_selection", "capabilities", "prefill", "embedding_models"];

    public static ImmutableArray<ProviderConfig> Read(YamlMap root, TimeoutsConfig timeouts)
    {
        var providers = ImmutableArray.CreateBuilder<ProviderConfig>();
        var idLines = new Dictionary<string, int>(StringComparer.Ordinal);
        var keyLines = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (node, path) in root.List("providers"))
        {
            var map = YamlMap.Open(root.Context, node, path, Fields);
            var provider = ReadProvider(map, timeouts, keyLines);
            if (!idLines.TryAdd(provider.Id, ConfigReadContext.Line(map.Get("id")!)))
            {
                throw map.Error("id", $"duplicate provider id {YamlValues.Quote(provider.Id)} (first used on line {idLines[provider.Id]})");
            }

            providers.Add(provider);
        }

        return providers.ToImmutable();
    }

    private static ProviderConfig ReadProvider(YamlMap map, TimeoutsConfig timeouts, Dictionary<string, int> keyLines)
    {
        var id = ConfigNames.Id(map, "id", "every provider needs an id (used in routes as id/model)");
        var preset = ReadPreset(map);

        var format = map.Get("format") is { } formatNode
            ? ConfigNames.Format(map.Context, formatNode, map.PathOf("format"))
            : preset?.Format ?? throw map.Missing("format", $"set format (openai, anthropic, gemini or openai-responses) or a preset{PresetHint(id)}");

        // A format the preset does not default to may still be one the vendor offers (Gemini's native API).
        var endpoint = preset?.EndpointFor(format);
        var baseUrl = map.AbsoluteUrl("base_url") ?? endpoint?.BaseUrl;
        if (baseUrl is null)
        {
            throw preset is null
                ? map.Missing("base_url", $"set base_url or a preset{PresetHint(id)}")
                : map.Error("format", $"preset '{preset.Id}' has no {ConfigNames.Name(format)} endpoint; set base_url too");
        }

        var auth = map.Get("auth") is { } authNode
            ? ConfigNames.Auth(map.Context, authNode, map.PathOf("auth"))
            : endpoint?.Auth ?? ConfigNames.DefaultAuth(format);

        var presetHeaders = preset?.Headers ?? ImmutableDictionary<string, string>.Empty;
        var headers = presetHeaders.WithComparers(StringComparer.OrdinalIgnoreCase).SetItems(HeaderReader.Read(map, "headers"));

        return new ProviderConfig
        {
            Id = id,
            Format = format,
            Preset = preset?.Id,
            BaseUrl = baseUrl,
            Auth = auth,
            MayTrainOnPrompts = map.Bool("may_train_on_prompts") ?? false,
            PresetTraining = map.Has("may_train_on_prompts") ? PromptTraining.None : preset?.Training ?? PromptTraining.None,
            Keys = KeysSection.Read(map, id, preset, keyLines),
            RateLimits = preset?.RateLimits ?? RateLimitRules.Default,

            // Quirks describe the vendor's OpenAI dialect; through another format they do not apply.
            Quirks = preset is not null && format == preset.Format ? preset.Quirks : ParameterQuirks.None,
            Prefill = map.Get("prefill") is { } prefill
                ? ConfigNames.Prefill(map.Context, prefill, map.PathOf("prefill"))
                : (preset is not null && format == preset.Format ? preset.Prefill : null) ?? ProviderConfig.DefaultPrefill(format),
            Timeouts = map.Map("timeouts", TimeoutsSection.Fields) is { } own ? TimeoutsSection.Read(own, timeouts) : null,
            Models = map.Has("models") ? map.TextList("models") : preset?.Models ?? [],

            // Added to the preset's: that a model makes embeddings is a fact about it, not a choice of what to list.
            EmbeddingModels = [.. (preset?.EmbeddingModels.Select(m => m.Model) ?? []).Union(map.TextList("embedding_models"), StringComparer.Ordinal)],
            Headers = headers,
            MaxOutputTokens = map.Has("max_output_tokens") ? map.Counts("max_output_tokens") : preset?.MaxOutputTokens ?? [],
            Capabilities = CapabilitiesReader.Merge(preset?.Capabilities ?? [], CapabilitiesReader.Read(map)),
            KeySelection = map.Get("key_selection") is { } selection
                ? ConfigNames.KeySelection(map.Context, selection, map.PathOf("key_selection"))
                : KeySelection.FillFirst,
        };
    }

    private static ProviderPreset? ReadPreset(YamlMap map)
    {
        if (map.Text("preset") is not { } name)
        {
            return null;
        }

        return ProviderPresets.Find(name)
            ?? throw map.Error("preset", $"unknown preset {YamlValues.Quote(name)}{FieldSuggestion.Hint(name, ProviderPresets.Ids)} (known: {string.Join(", ", ProviderPresets.Ids)})");
    }

    // `- id: groq` alone is a natural first try; point at the preset rather than at every field it would fill.
    private static string PresetHint(string id) =>
        ProviderPresets.Find(id) is not null ? $" (preset: {id} fills it)" : string.Empty;
}
