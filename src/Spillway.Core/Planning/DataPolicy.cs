using Spillway.Core.Providers;

namespace Spillway.Core.Planning;

/// <summary>
/// Whether a step's provider may train on the prompt (what <c>x-spillway-data-policy: no-train</c> rules out): the
/// key's own mark wins, then the provider's, then what the preset knows of the vendor's terms.
/// </summary>
public static class DataPolicy
{
    public static bool MayTrainOn(RouteStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        return step.Key.MayTrainOnPrompts ?? (step.Provider.MayTrainOnPrompts || step.Provider.PresetTraining switch
        {
            PromptTraining.FreeTierKeys => step.Key.Tier == KeyTier.Free,
            PromptTraining.FreeModels => IsFreeModel(step.Model),
            _ => false,
        });
    }

    // OpenRouter's free variants end in ":free"; its `free` router only ever picks one of them.
    private static bool IsFreeModel(string model) =>
        model.EndsWith(":free", StringComparison.Ordinal) || model is "free" or "openrouter/free";
}
