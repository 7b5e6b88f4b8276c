using System.Security.Cryptography;
using System.Text;

namespace Spillway.Core.Secrets;

/// <summary>
/// Seals and opens provider keys with AES-256-GCM under a <see cref="MasterKey"/>. Every seal draws a fresh random
/// nonce. The key's provider and id are the associated data: a sealed key copied onto another row (another id, another
/// provider) no longer opens, so rows cannot be swapped to send one vendor's key to another.
/// </summary>
public static class SecretSealer
{
    public const int NonceLength = 12;
    public const int TagLength = 16;

    public static SealedSecret Seal(MasterKey master, string plaintext, string provider, string keyId)
    {
        ArgumentNullException.ThrowIfNull(master);
        ArgumentException.ThrowIfNullOrEmpty(plaintext);
        var data = Encoding.UTF8.GetBytes(plaintext);
        try
        {
            var nonce = RandomNumberGenerator.GetBytes(NonceLength);
            var ciphertext = new byte[data.Length];
            var tag = new byte[TagLength];
            using var aes = new AesGcm(master.Bytes, TagLength);
            aes.Encrypt(nonce, data, ciphertext, tag, AssociatedData(provider, keyId));
            return new SealedSecret(nonce, ciphertext, tag);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(data);
        }
    }

    /// <exception cref="KeyVaultException">The sealed key was altered, belongs to another row, or was sealed under
    /// another master key with the same id (which does not happen by chance).</exception>
    public static string Open(MasterKey master, SealedSecret sealedSecret, string provider, string keyId)
    {
        ArgumentNullException.ThrowIfNull(master);
        ArgumentNullException.ThrowIfNull(sealedSecret);
        if (sealedSecret.Nonce.Length != NonceLength || sealedSecret.Tag.Length != TagLength || sealedSecret.Ciphertext.Length == 0)
        {
            throw Altered(keyId);
        }

        var data = new byte[sealedSecret.Ciphertext.Length];
        try
        {
            using var aes = new AesGcm(master.Bytes, TagLength);
            aes.Decrypt(sealedSecret.Nonce, sealedSecret.Ciphertext, sealedSecret.Tag, data, AssociatedData(provider, keyId));
            return Encoding.UTF8.GetString(data);
        }
        catch (CryptographicException e)
        {
            throw Altered(keyId, e);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(data);
        }
    }

    // Ids and provider ids are plain words (no NUL), so the NUL-separated form names exactly one (provider, id) pair.
    private static byte[] AssociatedData(string provider, string keyId) =>
        Encoding.UTF8.GetBytes($"spillway key vault v1\0{provider}\0{keyId}");

    private static KeyVaultException Altered(string keyId, Exception? inner = null)
    {
        var message = $"stored key '{keyId}' failed its integrity check: its row in the database was altered or copied from another key; remove it (spillway keys remove {keyId}) and add it again";
        return inner is null ? new KeyVaultException(message) : new KeyVaultException(message, inner);
    }
}
