using Spillway.Core.Configuration;
using Spillway.Core.Providers;
using Spillway.Core.Providers.Presets;

namespace Spillway.Core.Tests.Providers.Presets;

public sealed class PresetFileReaderTests
{
    private const string Minimal = """
        presets:
          - id: local
            name: Local
            format: openai
            base_url: http://localhost:8080/v1
            auth: bearer
            key_env: LOCAL_KEY
            tier: paid
        """;

    [Fact]
    public void Parse_MinimalPreset_UsesDefaults()
    {
        var preset = Assert.Single(PresetFileReader.Parse(Minimal, "presets.yaml"));

        Assert.Equal("local", preset.Id);
        Assert.Equal(KeyLimits.Unknown, preset.KeyLimits);
        Assert.True(preset.Quirks.IsEmpty);
        Assert.Empty(preset.FreeModels);
    }

    [Fact]
    public void Parse_TypoInData_FailsWithLine()
    {
        var error = Assert.Throws<ConfigException>(() => PresetFileReader.Parse(Minimal + "\n    free_model: []\n", "presets.yaml"));

        Assert.Equal("presets.yaml:9:5: presets[0]: unknown field 'free_model' (did you mean 'free_models'?)", error.Message);
    }

    [Fact]
    public void Parse_FigureWithoutDate_Fails()
    {
        var yaml = Minimal + "\n    free_models:\n      - { model: m, limits: { rpm: 1 }, source: docs, as_of: July }\n";

        var error = Assert.Throws<ConfigException>(() => PresetFileReader.Parse(yaml, "presets.yaml"));

        Assert.Equal("presets.yaml:10:62: presets[0].free_models[0].as_of: expected YYYY-MM or YYYY-MM-DD, got 'July'", error.Message);
    }
}
