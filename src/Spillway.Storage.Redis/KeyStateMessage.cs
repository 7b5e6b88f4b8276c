using System.Globalization;
using Spillway.Core.KeyState;

namespace Spillway.Storage.Redis;

/// <summary>
/// One change <see cref="RedisKeyStateStore"/> announces on its channel, as <see cref="FieldCodec"/> fields: the
/// sending instance, the kind (<c>set</c>, <c>clear</c>, <c>reset</c>, <c>count</c>, <c>forget</c>), the key id, then
/// what the kind needs (a cooldown; a model; a count).
/// </summary>
internal sealed record KeyStateMessage(string Instance, string Kind, string KeyId)
{
    public const string Set = "set";
    public const string Clear = "clear";
    public const string Reset = "reset";
    public const string Count = "count";
    public const string Forget = "forget";

    /// <summary>The cooldown a <c>set</c> carries.</summary>
    public KeyCooldown? Cooldown { get; init; }

    /// <summary>The model a <c>clear</c> names; null for every model of the key.</summary>
    public string? Model { get; init; }

    /// <summary>The rejections in a row a <c>count</c> carries.</summary>
    public int Rejections { get; init; }

    public static string ForSet(string instance, string keyId, KeyCooldown cooldown) =>
        FieldCodec.Join(instance, Set, keyId, cooldown.Model ?? string.Empty, KeyStateHash.Ticks(cooldown.Until), cooldown.Outcome, cooldown.Reason);

    public static string ForClear(string instance, string keyId, string? model) => FieldCodec.Join(instance, Clear, keyId, model ?? string.Empty);

    public static string ForReset(string instance, string keyId) => FieldCodec.Join(instance, Reset, keyId);

    public static string ForCount(string instance, string keyId, int count) =>
        FieldCodec.Join(instance, Count, keyId, count.ToString(CultureInfo.InvariantCulture));

    public static string ForForget(string instance, string keyId) => FieldCodec.Join(instance, Forget, keyId);

    /// <summary>The message in <paramref name="text"/>, or null when this version does not understand it.</summary>
    public static KeyStateMessage? Parse(string? text)
    {
        if (FieldCodec.Split(text) is not { Count: >= 3 } fields)
        {
            return null;
        }

        var message = new KeyStateMessage(fields[0], fields[1], fields[2]);
        return (fields[1], fields.Count) switch
        {
            (Set, 7) when KeyStateHash.ParseCooldown(fields[3], fields[4], fields[5], fields[6]) is { } cooldown => message with { Cooldown = cooldown },
            (Clear, 4) => message with { Model = fields[3].Length == 0 ? null : fields[3] },
            (Reset, 3) or (Forget, 3) => message,
            (Count, 4) when int.TryParse(fields[3], NumberStyles.None, CultureInfo.InvariantCulture, out var count) => message with { Rejections = count },
            _ => null,
        };
    }
}
