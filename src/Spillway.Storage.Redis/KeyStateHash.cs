using System.Globalization;
using System.Text;
using Spillway.Core.KeyState;
using StackExchange.Redis;

namespace Spillway.Storage.Redis;

/// <summary>
/// How <see cref="RedisKeyStateStore"/> keeps one key's state in Redis: one hash per key, <c>{prefix}keystate:{keyId}</c>,
/// with a field <c>c:{model}</c> per cooldown (<c>c:</c> for every model of the key) whose value is its end in Unix
/// milliseconds (what the script compares), a space, then its exact fields; and <c>r</c> for the rejections in a row.
/// The hash lives at least as long as its longest cooldown (a relative <c>PEXPIRE</c> from the caller's time, never
/// Redis' clock).
/// </summary>
internal static class KeyStateHash
{
    public const string RejectionsField = "r";
    private const string CooldownFieldPrefix = "c:";

    // KEYS[1] the key's hash; ARGV: field, until (unix ms), value ("{until ms} {fields}"), time to live (ms). Keeps the
    // later end. Returns 1 when it wrote.
    private const string SetScript = """
        local current = redis.call('HGET', KEYS[1], ARGV[1])
        if current then
          local ends = tonumber(string.match(current, '^(%d+) '))
          if ends and ends > tonumber(ARGV[2]) then return 0 end
        end
        redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
        if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[4]) then redis.call('PEXPIRE', KEYS[1], ARGV[4]) end
        return 1
        """;

    // KEYS[1] the key's hash; ARGV[1] the count's time to live (ms). Returns the count across every instance.
    private const string CountScript = """
        local count = redis.call('HINCRBY', KEYS[1], 'r', 1)
        if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[1]) then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
        return count
        """;

    public static string CooldownField(string? model) => CooldownFieldPrefix + (model ?? string.Empty);

    /// <summary>Writes a cooldown unless the hash holds a later one for the same field; 1 when it wrote.</summary>
    public static Task<RedisResult> WriteCooldownAsync(IDatabase database, RedisKey hash, KeyCooldown cooldown, DateTimeOffset now)
    {
        var timeToLive = Math.Max(1, (long)Math.Ceiling((cooldown.Until - now).TotalMilliseconds));
        return database.ScriptEvaluateAsync(
            SetScript,
            [hash],
            [
                CooldownField(cooldown.Model),
                Milliseconds(cooldown.Until),
                Milliseconds(cooldown.Until) + " " + FieldCodec.Join(Ticks(cooldown.Until), cooldown.Outcome, cooldown.Reason),
                timeToLive,
            ]);
    }

    /// <summary>Counts one more rejection in the hash, kept for <paramref name="retention"/>; the count across instances.</summary>
    public static async Task<int> CountRejectionAsync(IDatabase database, RedisKey hash, TimeSpan retention) =>
        (int)await database.ScriptEvaluateAsync(CountScript, [hash], [(long)retention.TotalMilliseconds]);

    /// <summary>The cooldowns still in force at <paramref name="now"/> and the rejection count (0 when none) a hash holds.</summary>
    public static (List<KeyCooldown> Cooldowns, int Rejections) Read(HashEntry[] entries, DateTimeOffset now)
    {
        var cooldowns = new List<KeyCooldown>(entries.Length);
        var rejections = 0;
        foreach (var entry in entries)
        {
            var field = (string)entry.Name!;
            if (field == RejectionsField)
            {
                if (int.TryParse((string?)entry.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count > 0)
                {
                    rejections = count;
                }
            }
            else if (field.StartsWith(CooldownFieldPrefix, StringComparison.Ordinal) &&
                     FieldCodec.Split(AfterSpace(entry.Value)) is [var ticks, var outcome, var reason] &&
                     ParseCooldown(field[CooldownFieldPrefix.Length..], ticks, outcome, reason) is { } cooldown &&
                     cooldown.Until > now)
            {
                cooldowns.Add(cooldown);
            }
        }

        return (cooldowns, rejections);
    }

    /// <summary>A <c>SCAN MATCH</c> pattern for every key that starts with <paramref name="prefix"/>.</summary>
    public static string PatternFor(string prefix)
    {
        var builder = new StringBuilder(prefix.Length + 1);
        foreach (var c in prefix)
        {
            if (c is '*' or '?' or '[' or ']' or '\\')
            {
                builder.Append('\\');
            }

            builder.Append(c);
        }

        return builder.Append('*').ToString();
    }

    /// <summary>A cooldown's exact end as text (UTC ticks), as messages and hash values carry it.</summary>
    public static string Ticks(DateTimeOffset at) => at.UtcTicks.ToString(CultureInfo.InvariantCulture);

    /// <summary>A cooldown from its text fields; null when the end is not a valid time.</summary>
    public static KeyCooldown? ParseCooldown(string? model, string ticks, string outcome, string reason) =>
        long.TryParse(ticks, NumberStyles.None, CultureInfo.InvariantCulture, out var utcTicks) &&
        utcTicks <= DateTimeOffset.MaxValue.UtcTicks
            ? new KeyCooldown(new DateTimeOffset(utcTicks, TimeSpan.Zero), outcome, reason, string.IsNullOrEmpty(model) ? null : model)
            : null;

    private static string Milliseconds(DateTimeOffset at) => at.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);

    private static string? AfterSpace(string? value) =>
        value?.IndexOf(' ', StringComparison.Ordinal) is { } space and >= 0 ? value[(space + 1)..] : null;
}
