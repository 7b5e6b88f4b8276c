using Spillway.Core.Providers;
using Spillway.Simulator;

namespace Spillway.Bench.Yield.Fleet;

/// <summary>One provider of the benchmark: a preset the user would configure, the simulator style that plays it, the model its route asks for.</summary>
/// <param name="Id">The provider id in the config, also its simulator's URL segment.</param>
/// <param name="Preset">The preset the config names.</param>
/// <param name="Style">Which vendor's errors and rate-limit headers the simulator answers with.</param>
/// <param name="Model">The model of its step in the alias.</param>
/// <param name="Tier">The key's tier.</param>
/// <param name="HiddenRpm">
/// For a provider without a preset: the per-minute limit its simulator enforces and the config does not know (the
/// gateway can only learn it); null for a preset's provider, whose simulator enforces exactly the known limits.
/// </param>
internal sealed record FleetMember(string Id, string? Preset, SimulatorStyle Style, string Model, KeyTier Tier, int? HiddenRpm = null)
{
    /// <summary>The step in the alias: <c>provider/model</c>.</summary>
    public string Route => Id + "/" + Model;

    /// <summary>The key's id in the config, the ledger and the admin API.</summary>
    public string KeyId => Id + "-key";

    /// <summary>A made-up secret; the simulator records only its last four characters, which differ per provider.</summary>
    public string Secret => "bench-not-a-real-key-" + Id;
}
