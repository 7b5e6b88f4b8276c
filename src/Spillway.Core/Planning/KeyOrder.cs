using Spillway.Core.KeyState;
using Spillway.Core.Providers;

namespace Spillway.Core.Planning;

/// <summary>
/// Orders one provider's keys for one request by its <c>key_selection</c>. <c>fill-first</c> keeps the config order.
/// <c>round-robin</c> and <c>least-used</c> reorder keys of the same tier among the places that tier holds in the
/// config order, so a paid key never moves ahead of a free key listed before it: <c>round-robin</c> starts each
/// request one key further on; <c>least-used</c> puts the key with the fewest requests today first, ties in
/// round-robin order, so a burst planned before any of it is counted still spreads.
/// </summary>
internal sealed class KeyOrder(KeyRotation rotation, IKeyUsage usage)
{
    public IReadOnlyList<KeyConfig> For(ProviderConfig provider)
    {
        var keys = provider.Keys;
        if (provider.KeySelection == KeySelection.FillFirst || keys.Length <= 1)
        {
            return keys;
        }

        var turn = rotation.Next(provider.Id);
        var ordered = new KeyConfig[keys.Length];
        foreach (var tier in keys.Select(k => k.Tier).Distinct())
        {
            var places = Enumerable.Range(0, keys.Length).Where(i => keys[i].Tier == tier).ToList();
            var shift = (int)(turn % (ulong)places.Count);
            var turned = Enumerable.Range(0, places.Count).Select(j => keys[places[(shift + j) % places.Count]]);
            if (provider.KeySelection == KeySelection.LeastUsed)
            {
                turned = turned.OrderBy(key => usage.RequestsToday(key.Id));
            }

            var place = 0;
            foreach (var key in turned)
            {
                ordered[places[place++]] = key;
            }
        }

        return ordered;
    }
}
