using Spillway.Core.Providers;

namespace Spillway.Core.Secrets;

/// <summary>What the vault shows about a stored provider key: everything but the key itself.</summary>
/// <param name="Id">Unique across the vault and the config; what logs, the ledger and the admin API show.</param>
/// <param name="Provider">The provider id it belongs to: a provider in the config, or a preset.</param>
/// <param name="Limits">The quota the user stated; null fields are taken from the preset, as for config keys.</param>
/// <param name="Last4">The last four characters, for telling keys apart on screen.</param>
/// <param name="MasterKeyId">The <see cref="MasterKey.Id"/> it is sealed under.</param>
/// <param name="RotatedAt">When it was last sealed under a new master key; null if never.</param>
public sealed record StoredKeyInfo(
    string Id,
    string Provider,
    KeyTier Tier,
    KeyLimits Limits,
    string Last4,
    string MasterKeyId,
    DateTimeOffset AddedAt,
    DateTimeOffset? RotatedAt = null);
