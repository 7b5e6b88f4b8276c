namespace Spillway.Core.Configuration;

/// <summary>One of the user's provider keys. <see cref="Id"/> is what logs, the ledger and the admin API show.</summary>
public sealed record KeyConfig(string Id, Secret Value, KeyTier Tier, KeyLimits Limits);
