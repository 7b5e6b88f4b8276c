namespace Spillway.Core.KeyState;

/// <summary>What one set of quota windows counts: a key, or a key for one model where the provider counts per
/// model. <see cref="Model"/> is empty for the whole key.</summary>
public readonly record struct QuotaScope(string KeyId, string Model)
{
    public bool IsPerModel => Model.Length > 0;
}
