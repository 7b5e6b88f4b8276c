using System.Collections.Concurrent;

namespace Spillway.Core.KeyState;

/// <summary>The embedded key state: cooldowns in a concurrent dictionary keyed by key id and model.</summary>
public sealed class InMemoryKeyStateStore : IKeyStateStore
{
    // The empty model stands for "every model of the key".
    private readonly ConcurrentDictionary<(string KeyId, string Model), KeyCooldown> _cooldowns = new();
    private readonly ConcurrentDictionary<string, int> _rejections = new(StringComparer.Ordinal);

    /// <summary>
    /// Raised, on the caller's thread, after a cooldown was set, cleared or reset (not when a shorter one was ignored,
    /// nor when an expired one is dropped). The host saves the state promptly on it, so a cooldown learned just before
    /// a crash survives it; a handler must only signal (it runs on the request's path), never write.
    /// </summary>
    public event EventHandler? CooldownsChanged;

    public KeyCooldown? GetCooldown(string keyId, string model, DateTimeOffset now)
    {
        var keyWide = Active((keyId, string.Empty), now);
        var perModel = Active((keyId, model), now);
        if (keyWide is null)
        {
            return perModel;
        }

        // A rejected key is rejected for every model, whatever limit one model may also be cooling for.
        return perModel is null || keyWide.IsRejection || keyWide.Until >= perModel.Until ? keyWide : perModel;
    }

    public void SetCooldown(string keyId, KeyCooldown cooldown)
    {
        var slot = (keyId, cooldown.Model ?? string.Empty);
        var stored = _cooldowns.AddOrUpdate(
            slot,
            cooldown,
            (_, existing) => existing.Until > cooldown.Until ? existing : cooldown);
        if (ReferenceEquals(stored, cooldown))
        {
            CooldownsChanged?.Invoke(this, EventArgs.Empty);
        }
    }

    public void Clear(string keyId, string? model)
    {
        if (_cooldowns.TryRemove((keyId, model ?? string.Empty), out _))
        {
            CooldownsChanged?.Invoke(this, EventArgs.Empty);
        }
    }

    public int Reset(string keyId, DateTimeOffset now)
    {
        _rejections.TryRemove(keyId, out _);
        var ended = 0;
        var removed = false;
        foreach (var pair in _cooldowns)
        {
            if (pair.Key.KeyId == keyId && _cooldowns.TryRemove(pair))
            {
                removed = true;
                ended += pair.Value.Until > now ? 1 : 0;
            }
        }

        if (removed)
        {
            CooldownsChanged?.Invoke(this, EventArgs.Empty);
        }

        return ended;
    }

    public int CountRejection(string keyId) => _rejections.AddOrUpdate(keyId, 1, static (_, count) => count + 1);

    public void ForgetRejections(string keyId)
    {
        // Checked first: every served call lands here, and a read does not contend the way a removal does.
        if (_rejections.ContainsKey(keyId))
        {
            _rejections.TryRemove(keyId, out _);
        }
    }

    public IReadOnlyList<(string KeyId, KeyCooldown Cooldown)> ActiveCooldowns(DateTimeOffset now)
    {
        var list = new List<(string, KeyCooldown)>();
        foreach (var pair in _cooldowns)
        {
            if (pair.Value.Until > now)
            {
                list.Add((pair.Key.KeyId, pair.Value));
            }
        }

        return list;
    }

    private KeyCooldown? Active((string, string) slot, DateTimeOffset now)
    {
        if (!_cooldowns.TryGetValue(slot, out var cooldown))
        {
            return null;
        }

        if (cooldown.Until > now)
        {
            return cooldown;
        }

        // Expired: drop it so the dictionary does not grow with dead entries.
        _cooldowns.TryRemove(new KeyValuePair<(string, string), KeyCooldown>(slot, cooldown));
        return null;
    }
}
