namespace Spillway.Core.Telemetry;

/// <summary>A route is <c>provider/model</c> (the model may hold more slashes); its two parts for labels.</summary>
internal static class RouteName
{
    public static string Provider(string route)
    {
        var slash = route.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? route : route[..slash];
    }

    public static string Model(string route)
    {
        var slash = route.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? route : route[(slash + 1)..];
    }
}
