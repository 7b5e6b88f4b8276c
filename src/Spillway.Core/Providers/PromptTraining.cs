namespace Spillway.Core.Providers;

/// <summary>Which calls a vendor's terms let it use for training, as its preset knows them.</summary>
public enum PromptTraining
{
    /// <summary>None by default.</summary>
    None,

    /// <summary>Calls made with a free-tier key (Gemini's and Mistral's free plans).</summary>
    FreeTierKeys,

    /// <summary>Calls to the vendor's free models, whatever the key (OpenRouter's <c>:free</c> endpoints).</summary>
    FreeModels,
}
