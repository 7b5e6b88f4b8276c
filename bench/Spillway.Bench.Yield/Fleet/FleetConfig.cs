using System.Globalization;
using System.Text;
using Spillway.Core.Configuration;
using Spillway.Core.Configuration.Loading;
using Spillway.Core.Providers;
using Spillway.Simulator;

namespace Spillway.Bench.Yield.Fleet;

/// <summary>
/// The config a user would write for <see cref="BenchFleet"/>: each provider by its preset, one key each with its
/// tier and no limits of its own (the presets' free-tier figures are the known limits), <c>base_url</c> pointing at
/// the simulator, and an ordered alias with the free steps first and the paid one last. Read by the real loader.
/// </summary>
internal static class FleetConfig
{
    public static string Yaml(IReadOnlyList<FleetMember> members, ProviderSimulator simulator)
    {
        var yaml = new StringBuilder("providers:\n");
        foreach (var member in members)
        {
            yaml.AppendLine(CultureInfo.InvariantCulture, $"  - id: {member.Id}");
            if (member.Preset is null)
            {
                // A custom host: its format and models, nothing about its limits.
                yaml.AppendLine("    format: openai");
                yaml.AppendLine(CultureInfo.InvariantCulture, $"    models: [{member.Model}]");
            }
            else
            {
                yaml.AppendLine(CultureInfo.InvariantCulture, $"    preset: {member.Preset}");
            }

            yaml.AppendLine(CultureInfo.InvariantCulture, $"    base_url: {simulator.BaseUrlOf(member.Id)}");
            var tier = member.Tier == KeyTier.Free ? "free" : "paid";
            yaml.AppendLine(CultureInfo.InvariantCulture, $"    keys: [{{ id: {member.KeyId}, value: \"{member.Secret}\", tier: {tier} }}]");
        }

        yaml.AppendLine("models:");
        yaml.AppendLine(CultureInfo.InvariantCulture, $"  - id: {BenchFleet.Alias}");
        yaml.AppendLine("    strategy: ordered");
        yaml.AppendLine(CultureInfo.InvariantCulture, $"    route: [{string.Join(", ", members.Select(m => m.Route))}]");
        return yaml.ToString();
    }

    public static SpillwayConfig Load(IReadOnlyList<FleetMember> members, ProviderSimulator simulator) =>
        ConfigLoader.Parse(Yaml(members, simulator), "yield-bench.yaml", new Dictionary<string, string?>());

    /// <summary>
    /// What the config knows of a member's key for its route's model: the per-model figures where the provider
    /// counts per model, else the key's own.
    /// </summary>
    public static KeyLimits KnownLimits(SpillwayConfig config, FleetMember member)
    {
        var key = config.FindProvider(member.Id)!.Keys.Single();
        return key.ModelLimits.TryGetValue(member.Model, out var perModel) ? perModel : key.Limits;
    }

    /// <summary>The limits the member's simulator enforces: the known ones, or the hidden per-minute limit alone.</summary>
    public static KeyLimits TrueLimits(SpillwayConfig config, FleetMember member) =>
        member.HiddenRpm is { } rpm ? new KeyLimits(Rpm: rpm) : KnownLimits(config, member);
}
