namespace Spillway.Core.Secrets;

/// <summary>One row of the vault: the key's description and the key sealed under the master key its info names.</summary>
public sealed record SealedKey(StoredKeyInfo Info, SealedSecret Secret);
