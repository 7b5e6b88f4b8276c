using Spillway.Core.Chat;
using Spillway.Core.Configuration;
using Spillway.Core.Health;
using Spillway.Core.KeyState;
using Spillway.Core.Planning;
using Spillway.Core.Providers;

namespace Spillway.Core.Tests.Planning;

/// <summary>Providers, keys and fakes the route planner's tests build their configs from.</summary>
internal static class PlannerFixtures
{
    public static KeyConfig Key(string id, KeyTier tier = KeyTier.Free) => new(id, new Secret("secret-" + id), tier, KeyLimits.Unknown);

    public static ProviderConfig Provider(string id, params KeyConfig[] keys) => new()
    {
        Id = id,
        Format = WireFormat.OpenAI,
        BaseUrl = new Uri("https://" + id + ".example/v1"),
        Keys = [.. keys],
    };

    public static List<string> Steps(RoutePlan plan) => [.. plan.Steps.Select(s => s.Route + " @" + s.Key.Id)];

    public static RoutePlan PlanOf(RoutePlanner planner, SpillwayConfig config, string model, RequestNeeds? needs = null)
    {
        var plan = planner.Plan(config, new PlanRequest(model, [], RequestPolicy.Default, needs ?? RequestNeeds.None), out var error);
        Assert.Null(error);
        Assert.NotNull(plan);
        return plan;
    }

    /// <summary>Route latencies as a test sets them; a route left out is unmeasured.</summary>
    public sealed class FixedSpeed(Dictionary<string, double> latencies) : IRouteSpeed
    {
        public double? ExpectedLatencyMs(string route) => latencies.TryGetValue(route, out var ms) ? ms : null;
    }

    /// <summary>Requests per key as a test sets them.</summary>
    public sealed class FixedUsage(Dictionary<string, long> requests) : IKeyUsage
    {
        public long RequestsToday(string keyId) => requests.GetValueOrDefault(keyId);
    }
}
