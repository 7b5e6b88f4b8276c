using Spillway.Core.Chat;
using Spillway.Core.Planning;
using Spillway.Core.Providers;

namespace Spillway.Core.Tests.Planning;

public sealed class DataPolicyTests
{
    private static KeyConfig Key(KeyTier tier, bool? mayTrain = null) =>
        new("k", new Secret("secret-value"), tier, KeyLimits.Unknown) { MayTrainOnPrompts = mayTrain };

    private static ProviderConfig Provider(PromptTraining training, bool marked = false) => new()
    {
        Id = "p",
        Format = WireFormat.OpenAI,
        BaseUrl = new Uri("https://p.example/v1"),
        PresetTraining = training,
        MayTrainOnPrompts = marked,
    };

    [Theory]
    [InlineData(PromptTraining.FreeTierKeys, KeyTier.Free, "gemini-2.5-flash", true)]
    [InlineData(PromptTraining.FreeTierKeys, KeyTier.Paid, "gemini-2.5-flash", false)]
    [InlineData(PromptTraining.FreeModels, KeyTier.Paid, "meta-llama/llama-3.3-70b-instruct:free", true)]
    [InlineData(PromptTraining.FreeModels, KeyTier.Free, "free", true)]
    [InlineData(PromptTraining.FreeModels, KeyTier.Free, "openai/gpt-4o-mini", false)]
    [InlineData(PromptTraining.None, KeyTier.Free, "llama-3.3-70b-versatile", false)]
    public void MayTrainOn_FollowsThePresetsTerms(PromptTraining training, KeyTier tier, string model, bool expected)
    {
        Assert.Equal(expected, DataPolicy.MayTrainOn(new RouteStep(Provider(training), model, Key(tier))));
    }

    [Fact]
    public void MayTrainOn_ProviderMark_CoversEveryKeyAndModel()
    {
        Assert.True(DataPolicy.MayTrainOn(new RouteStep(Provider(PromptTraining.None, marked: true), "m", Key(KeyTier.Paid))));
    }

    [Theory]
    [InlineData(false, true)]
    [InlineData(true, false)]
    public void MayTrainOn_KeyMark_BeatsProviderAndPreset(bool providerMarked, bool keyMark)
    {
        var step = new RouteStep(Provider(PromptTraining.FreeTierKeys, providerMarked), "m", Key(KeyTier.Free, keyMark));

        Assert.Equal(keyMark, DataPolicy.MayTrainOn(step));
    }
}
