namespace Spillway.Core.KeyState;

/// <summary>The key state worth keeping across a restart: cooldowns in force and quota windows.</summary>
public sealed record KeyStateSnapshot(IReadOnlyList<SavedCooldown> Cooldowns, IReadOnlyList<QuotaRecord> Quotas)
{
    public static KeyStateSnapshot Empty { get; } = new([], []);

    /// <summary>True when both hold the same state (so an unchanged state is not written again).</summary>
    public bool SameAs(KeyStateSnapshot other) =>
        Cooldowns.SequenceEqual(other.Cooldowns) && Quotas.SequenceEqual(other.Quotas);
}

/// <summary>A cooldown as it is kept.</summary>
/// <param name="SecretHint">The last four characters of the key it was set on, so a cooldown of a key since replaced
/// under the same id is not restored.</param>
public sealed record SavedCooldown(string KeyId, KeyCooldown Cooldown, string SecretHint);
