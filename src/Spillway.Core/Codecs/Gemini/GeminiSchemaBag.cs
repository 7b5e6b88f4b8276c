using System.Text.Json;

namespace Spillway.Core.Codecs.Gemini;

/// <summary>
/// The keywords of one schema after <c>$ref</c>, <c>allOf</c> and single-branch <c>anyOf</c> were folded into it,
/// in order; a keyword set later replaces one set earlier.
/// </summary>
internal sealed class GeminiSchemaBag
{
    private readonly List<KeyValuePair<string, JsonElement>> _items = [];

    public IReadOnlyList<KeyValuePair<string, JsonElement>> Items => _items;

    public void Set(string name, JsonElement value)
    {
        var index = _items.FindIndex(x => x.Key == name);
        if (index >= 0)
        {
            _items[index] = new(name, value);
        }
        else
        {
            _items.Add(new(name, value));
        }
    }

    public bool TryGet(string name, out JsonElement value)
    {
        foreach (var item in _items)
        {
            if (item.Key == name)
            {
                value = item.Value;
                return true;
            }
        }

        value = default;
        return false;
    }

    public bool Has(string name) => TryGet(name, out _);

    public void Remove(string name) => _items.RemoveAll(x => x.Key == name);

    /// <summary>Sets every keyword of <paramref name="other"/> over this bag's.</summary>
    public void Overlay(GeminiSchemaBag other)
    {
        foreach (var item in other._items)
        {
            Set(item.Key, item.Value);
        }
    }
}
