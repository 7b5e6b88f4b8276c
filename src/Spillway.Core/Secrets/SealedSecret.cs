namespace Spillway.Core.Secrets;

/// <summary>A provider key sealed with AES-256-GCM: a random 12-byte nonce, the ciphertext and the 16-byte tag.</summary>
public sealed record SealedSecret(byte[] Nonce, byte[] Ciphertext, byte[] Tag);
