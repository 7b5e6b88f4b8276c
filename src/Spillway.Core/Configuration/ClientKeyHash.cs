using System.Security.Cryptography;
using System.Text;

namespace Spillway.Core.Configuration;

/// <summary>
/// How a client's virtual key is kept: its SHA-256, never the key. Keys made by <c>spillway clients add</c> carry 256
/// random bits, so a fast hash is as safe as a slow one (nothing to guess) and costs a microsecond per request; a
/// hand-written key in the config is only as strong as the words chosen for it.
/// </summary>
public static class ClientKeyHash
{
    /// <summary>The lower-case hex SHA-256 of the key's UTF-8 bytes.</summary>
    public static string Of(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        var length = Encoding.UTF8.GetByteCount(key);
        byte[]? rented = null;
        var bytes = length <= 512 ? stackalloc byte[length] : (rented = new byte[length]);
        Encoding.UTF8.GetBytes(key, bytes);
        SHA256.HashData(bytes, hash);
        if (rented is not null)
        {
            CryptographicOperations.ZeroMemory(rented);
        }

        return Convert.ToHexStringLower(hash);
    }

    /// <summary>True for 64 hex digits, the shape <see cref="Of"/> gives.</summary>
    public static bool IsHash(string value) =>
        value.Length == SHA256.HashSizeInBytes * 2 && value.All(char.IsAsciiHexDigit);

    /// <summary>A new virtual key: <c>sk-spill-</c> and 256 random bits in URL-safe base64.</summary>
    public static string NewKey()
    {
        Span<byte> random = stackalloc byte[32];
        RandomNumberGenerator.Fill(random);
        return "sk-spill-" + Convert.ToBase64String(random).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }
}
