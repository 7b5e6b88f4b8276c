using System.Security.Cryptography;
using System.Text;

namespace Spillway.Core.Secrets;

/// <summary>
/// The 256-bit key that seals the stored provider keys (AES-256-GCM). Written as base64 of its 32 bytes, in
/// <c>SPILLWAY_MASTER_KEY</c> or the <c>master.key</c> file (<c>openssl rand -base64 32</c> makes one).
/// It never prints itself; <see cref="Id"/> is a fingerprint that tells master keys apart without revealing them.
/// </summary>
public sealed class MasterKey : IDisposable
{
    /// <summary>The key length in bytes (AES-256).</summary>
    public const int Length = 32;

    private static readonly byte[] IdLabel = Encoding.ASCII.GetBytes("spillway master key id v1");

    private readonly byte[] _bytes;

    private MasterKey(byte[] bytes)
    {
        _bytes = bytes;

        // An HMAC under the key itself: the same key always gets the same id, and the id says nothing about the key.
        Id = Convert.ToHexStringLower(HMACSHA256.HashData(_bytes, IdLabel).AsSpan(0, 8));
    }

    /// <summary>A fingerprint (16 hex digits) stored beside every sealed key, so a wrong master key is named as such.</summary>
    public string Id { get; }

    /// <summary>A new random master key.</summary>
    public static MasterKey Generate() => new(RandomNumberGenerator.GetBytes(Length));

    /// <summary>Reads base64 of exactly 32 bytes (surrounding whitespace ignored).</summary>
    /// <returns>False for anything else: a passphrase, hex, a key of another length.</returns>
    public static bool TryParse(string? text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out MasterKey? key)
    {
        key = null;
        var trimmed = text?.Trim();
        if (string.IsNullOrEmpty(trimmed) || trimmed.Length > 64)
        {
            return false;
        }

        var buffer = new byte[48];
        if (!Convert.TryFromBase64String(trimmed, buffer, out var written) || written != Length)
        {
            CryptographicOperations.ZeroMemory(buffer);
            return false;
        }

        key = new MasterKey(buffer.AsSpan(0, Length).ToArray());
        CryptographicOperations.ZeroMemory(buffer);
        return true;
    }

    /// <summary>The key as written to the key file. Only for that file.</summary>
    public string ToBase64() => Convert.ToBase64String(_bytes);

    /// <summary>The raw key, for <see cref="SecretSealer"/> only.</summary>
    internal ReadOnlySpan<byte> Bytes => _bytes;

    public override string ToString() => "master key " + Id;

    /// <summary>Wipes the key from memory.</summary>
    public void Dispose() => CryptographicOperations.ZeroMemory(_bytes);
}
