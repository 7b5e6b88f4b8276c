namespace Spillway.Tests.Dashboard;

/// <summary>The browser tests run one at a time: each starts a Chromium, and a small machine runs one well.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DashboardCollection
{
    public const string Name = "Dashboard";
}
