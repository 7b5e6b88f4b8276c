namespace Spillway.Core.Providers;

/// <summary>
/// A credential held in memory. It never prints itself: <see cref="ToString"/> and serializers see only a mask,
/// so a key cannot leak through a log line, an exception message or a JSON dump by accident.
/// </summary>
public sealed class Secret : IEquatable<Secret>
{
    private readonly string _value;
    private string? _bearer;

    public Secret(string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(value);
        _value = value;
    }

    /// <summary>The last four characters, for telling keys apart on screen.</summary>
    public string Last4 => _value.Length <= 4 ? "****" : _value[^4..];

    /// <summary>The secret itself: only for the upstream request header that needs it.</summary>
    public string Reveal() => _value;

    /// <summary><c>Bearer {secret}</c>, the Authorization value of every upstream call with this key, built once.</summary>
    public string RevealAsBearer() => _bearer ??= "Bearer " + _value;

    /// <summary>Compares in constant time, for client and admin tokens.</summary>
    public bool FixedTimeEquals(string? candidate)
    {
        if (candidate is null)
        {
            return false;
        }

        var a = System.Text.Encoding.UTF8.GetBytes(_value);
        var b = System.Text.Encoding.UTF8.GetBytes(candidate);
        return System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(a, b);
    }

    public override string ToString() => "***" + Last4;

    public bool Equals(Secret? other) => other is not null && string.Equals(_value, other._value, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is Secret other && Equals(other);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(_value);
}
