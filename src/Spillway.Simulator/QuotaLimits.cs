namespace Spillway.Simulator;

/// <summary>A provider's configured free quota at the time of one call (null: not enforced).</summary>
internal readonly record struct QuotaLimits(int? RequestsPerMinute, int? RequestsPerDay);
