using System.Globalization;
using Spillway.Core.Codecs;
using Spillway.Core.Providers;

namespace Spillway.Core.Engine;

/// <summary>The <c>x-spillway-*</c> headers of an answer, written the same way by the chat engine and the embeddings path.</summary>
internal static class ServedHeaders
{
    /// <summary>The commit point: the route is decided; the headers are set before the first byte.</summary>
    public static void Commit(IClientResponse client, string requestId, RouteStep step, RequestState state)
    {
        state.ServedRoute = step.Route;
        client.SetHeader(SpillwayHeaders.RequestId, requestId);
        client.SetHeader(SpillwayHeaders.Route, step.Route);
        client.SetHeader(SpillwayHeaders.Attempts, state.UpstreamCalls.ToString(CultureInfo.InvariantCulture));
        SetTried(client, state);
        if (step.Provider.Simulated)
        {
            client.SetHeader(SpillwayHeaders.Demo, "simulated provider, not a real model");
        }
    }

    /// <summary>The <c>x-spillway-cost-usd</c> header: the cost in US dollars, up to ten decimals, no trailing zeros.</summary>
    public static void SetCost(IClientResponse client, decimal cost) =>
        // A free call, the usual one, skips the custom-format path (decimal formatting is slow).
        client.SetHeader(SpillwayHeaders.CostUsd, cost == 0m ? "0" : cost.ToString("0.##########", CultureInfo.InvariantCulture));

    /// <summary>The <c>x-spillway-tried</c> header: the routes called, in order; absent when none was. A comma
    /// inside a route name is percent-encoded so the list stays a list.</summary>
    public static void SetTried(IClientResponse client, RequestState state)
    {
        var tried = state.TriedRoutes;
        if (tried.Count == 0)
        {
            return;
        }

        // The usual answer came from its first route: reuse that route's string instead of joining a new one.
        client.SetHeader(SpillwayHeaders.Tried, tried.Count == 1 ? EscapeComma(tried[0]) : string.Join(',', tried.Select(EscapeComma)));
    }

    private static string EscapeComma(string route) =>
        route.Contains(',', StringComparison.Ordinal) ? route.Replace(",", "%2C", StringComparison.Ordinal) : route;
}
