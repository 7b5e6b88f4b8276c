using System.Collections.Concurrent;

namespace Spillway.Core.Telemetry;

/// <summary>
/// A route is <c>provider/model</c> (the model may hold more slashes); its two parts for labels. Every request labels
/// its routes, so each route's parts are cut once and kept (routes are few: the configured ones and the free models
/// discovered; past <see cref="MaxKept"/> a part is cut afresh each time).
/// </summary>
internal static class RouteName
{
    private const int MaxKept = 4096;

    private static readonly ConcurrentDictionary<string, (string Provider, string Model)> Parts = new(StringComparer.Ordinal);

    public static string Provider(string route) => Split(route).Provider;

    public static string Model(string route) => Split(route).Model;

    private static (string Provider, string Model) Split(string route)
    {
        if (Parts.TryGetValue(route, out var parts))
        {
            return parts;
        }

        var slash = route.IndexOf('/', StringComparison.Ordinal);
        parts = slash < 0 ? (route, route) : (route[..slash], route[(slash + 1)..]);
        if (Parts.Count < MaxKept)
        {
            Parts.TryAdd(route, parts);
        }

        return parts;
    }
}
