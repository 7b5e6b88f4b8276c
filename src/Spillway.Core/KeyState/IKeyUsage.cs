namespace Spillway.Core.KeyState;

/// <summary>How much each key has been used lately, for the <c>least-used</c> key selection.</summary>
public interface IKeyUsage
{
    /// <summary>The requests sent with this key in the current day window.</summary>
    long RequestsToday(string keyId);
}
