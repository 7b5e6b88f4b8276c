namespace Spillway.Core.Chat;

/// <summary>
/// Collects what an encoder leaves out because its format cannot carry it, and turns a field that must be honored
/// into the refusal that explains why the request cannot be sent.
/// </summary>
internal sealed class DroppedHints
{
    private readonly List<string> _names = [];

    public IReadOnlyList<string> Names => _names;

    public void Add(string name)
    {
        if (!_names.Contains(name))
        {
            _names.Add(name);
        }
    }

    /// <summary>
    /// Drops and records the fields of <paramref name="extensions"/> that belong to another format than
    /// <paramref name="target"/>; returns the refusal when one of them must be honored.
    /// </summary>
    /// <param name="extensions">The bag of the object being written.</param>
    /// <param name="target">The format being written.</param>
    /// <param name="location">Where the object sits, for the refusal's <c>param</c> (<c>tools[2]</c>).</param>
    public ChatError? DropForeign(ChatExtensions extensions, WireFormat target, string location)
    {
        foreach (var item in extensions.Items)
        {
            if (item.Format == target)
            {
                continue;
            }

            if (item.MustHonor)
            {
                var param = location.Length == 0 ? item.Name : location + "." + item.Name;
                return ChatError.InvalidRequest(
                    $"'{item.Name}' ({item.Format}) cannot be expressed in the {target} format of the upstream.", param);
            }

            Add(item.Name);
        }

        return null;
    }
}
