namespace Spillway.Core.Providers;

/// <summary>Whether a key spends the user's free allowance or their money.</summary>
public enum KeyTier
{
    Free,
    Paid,
}
