using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using StackExchange.Redis;

namespace Spillway.Storage.Redis;

/// <summary>
/// A Lua script sent by its SHA1 (<c>EVALSHA</c>), the id Redis keeps its scripts under, computed once.
/// </summary>
/// <remarks>
/// <para>
/// StackExchange.Redis' text overload looks the script's text up in a table on every call, and for the quota
/// admission (7 KB) hashing that text was the hottest frame of the gateway on Redis. Sending the id directly skips it.
/// </para>
/// <para>
/// Redis forgets its scripts when it restarts (or on <c>SCRIPT FLUSH</c>) and then answers <c>NOSCRIPT</c>, and a
/// fire-and-forget call hears no answer. So every script is loaded when the connection is made and again whenever it
/// is restored (<see cref="RedisConnection.Preload"/>); a caller that gets <c>NOSCRIPT</c> all the same has them
/// loaded again (<see cref="RedisConnection.LoadScripts"/>) and sends once more. What is fired in between (from a
/// reconnection to the reload) is lost, as the state of a restarted Redis is.
/// </para>
/// </remarks>
public sealed class RedisScript
{
    private readonly byte[] _hash;

    [SuppressMessage("Security", "CA5350:Do not use weak cryptographic algorithms", Justification = "Redis names scripts by their SHA1; nothing is secured by it.")]
    public RedisScript(string text)
    {
        ArgumentException.ThrowIfNullOrEmpty(text);
        Text = text;
        _hash = SHA1.HashData(Encoding.UTF8.GetBytes(text));
    }

    /// <summary>The Lua source, as <c>SCRIPT LOAD</c> takes it.</summary>
    public string Text { get; }

    /// <summary>True when Redis answered that it does not know the script (it restarted, or its scripts were flushed).</summary>
    public static bool IsMissing(Exception exception) =>
        exception is RedisServerException server && server.Message.StartsWith("NOSCRIPT", StringComparison.Ordinal);

    /// <summary>Sends the script by its id only. On <see cref="IsMissing"/> nothing ran: the caller loads the scripts
    /// and sends it again, itself, so that nothing it sends after (a take-back) can overtake the second try.</summary>
    public Task<RedisResult> SendAsync(IDatabase database, RedisKey[] keys, RedisValue[] values) =>
        database.ScriptEvaluateAsync(_hash, keys, values);

    /// <summary>Sends the script without waiting for the answer: ordered after every command this connection sent before.</summary>
    public void Fire(IDatabase database, RedisKey[] keys, RedisValue[] values) =>
        database.ScriptEvaluate(_hash, keys, values, CommandFlags.FireAndForget);

    /// <summary>Runs the script and waits: when Redis forgot its scripts, loads them all again and sends it once more.</summary>
    public RedisResult Evaluate(RedisConnection connection, RedisKey[] keys, RedisValue[] values)
    {
        ArgumentNullException.ThrowIfNull(connection);
        try
        {
            return connection.Database.ScriptEvaluate(_hash, keys, values);
        }
        catch (RedisServerException e) when (IsMissing(e))
        {
            connection.LoadScripts();
            return connection.Database.ScriptEvaluate(_hash, keys, values);
        }
    }
}
