namespace Spillway.Core.KeyState;

/// <summary>
/// What Spillway remembers about each key between requests: until when it is tapped out and why.
/// In memory by default; a shared store can stand behind the same interface for several instances.
/// </summary>
public interface IKeyStateStore
{
    /// <summary>The cooldown in force for this key and model at <paramref name="now"/>, or null if it may be called.</summary>
    KeyCooldown? GetCooldown(string keyId, string model, DateTimeOffset now);

    /// <summary>Cools the key for one model, or for every model when <see cref="KeyCooldown.Model"/> is null.
    /// A later reset never shortens an existing longer cooldown.</summary>
    void SetCooldown(string keyId, KeyCooldown cooldown);

    /// <summary>Ends a cooldown early (a probe succeeded).</summary>
    void Clear(string keyId, string? model);

    /// <summary>Ends every cooldown of the key (every model) and forgets its rejections: a reset by hand.</summary>
    /// <returns>How many cooldowns were in force.</returns>
    int Reset(string keyId, DateTimeOffset now);

    /// <summary>Counts one more rejection of the key's secret in a row (401/403) and returns the count, 1 for the
    /// first: the re-check backs off with it.</summary>
    int CountRejection(string keyId);

    /// <summary>Forgets the key's rejections: the provider took the key again.</summary>
    void ForgetRejections(string keyId);

    /// <summary>Every cooldown still in force, for the admin API.</summary>
    IReadOnlyList<(string KeyId, KeyCooldown Cooldown)> ActiveCooldowns(DateTimeOffset now);
}
