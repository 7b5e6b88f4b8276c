using Spillway.Core.Providers;

namespace Spillway.Core.Secrets;

/// <summary>A stored provider key, opened: what <c>serve</c> merges into the config.</summary>
public sealed record StoredKey(StoredKeyInfo Info, Secret Value);
