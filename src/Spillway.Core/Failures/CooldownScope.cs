namespace Spillway.Core.Failures;

/// <summary>What a rate limit or quota failure cools down.</summary>
public enum CooldownScope
{
    /// <summary>Nothing: the failure says nothing about the key's capacity.</summary>
    None,

    /// <summary>The key for this model only (the provider counts per key and model).</summary>
    KeyModel,

    /// <summary>The whole key, every model (account-wide limits, billing).</summary>
    Key,
}
