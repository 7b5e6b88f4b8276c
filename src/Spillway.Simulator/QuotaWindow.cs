namespace Spillway.Simulator;

/// <summary>Which free-tier window a request ran into.</summary>
internal enum QuotaWindow
{
    PerMinute,
    PerDay,
}
