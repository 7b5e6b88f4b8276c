namespace Spillway.Core.Chat;

/// <summary>
/// The typed bag of vendor-only fields on a canonical object. The canonical model itself never grows a vendor
/// field: what tunes only one provider lives here, tagged with its format.
/// </summary>
public sealed class ChatExtensions
{
    private readonly ChatExtension[] _items;

    private ChatExtensions(ChatExtension[] items) => _items = items;

    /// <summary>The empty bag, shared.</summary>
    public static ChatExtensions Empty { get; } = new([]);

    /// <summary>Every field, in the order added.</summary>
    public IReadOnlyList<ChatExtension> Items => _items;

    /// <summary>True when there is no field.</summary>
    public bool IsEmpty => _items.Length == 0;

    /// <summary>Creates a bag holding <paramref name="items"/>.</summary>
    public static ChatExtensions Of(IEnumerable<ChatExtension> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var array = items.ToArray();
        return array.Length == 0 ? Empty : new ChatExtensions(array);
    }

    /// <summary>Returns a bag with <paramref name="item"/> added (replacing a field of the same format and name).</summary>
    public ChatExtensions With(ChatExtension item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return Of(_items.Where(x => x.Format != item.Format || x.Name != item.Name).Append(item));
    }

    /// <summary>The value of the field <paramref name="name"/> of <paramref name="format"/>, or null.</summary>
    public RawJson? Find(WireFormat format, string name)
    {
        foreach (var item in _items)
        {
            if (item.Format == format && item.Name == name)
            {
                return item.Value;
            }
        }

        return null;
    }

    /// <summary>The fields of <paramref name="format"/>, in order.</summary>
    public IEnumerable<ChatExtension> Of(WireFormat format) => _items.Where(x => x.Format == format);

    /// <summary>The fields an encoder of <paramref name="format"/> cannot write: those of every other format.</summary>
    public IEnumerable<ChatExtension> Foreign(WireFormat format) => _items.Where(x => x.Format != format);
}
