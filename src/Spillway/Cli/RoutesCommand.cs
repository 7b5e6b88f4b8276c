using System.CommandLine;

namespace Spillway.Cli;

/// <summary><c>spillway routes reset ROUTE</c>: closes a route's breaker on the running gateway, for a provider
/// that is well again before the breaker's own probe would find out.</summary>
internal static class RoutesCommand
{
    public static Command Create()
    {
        var routes = new Command("routes", "Act on the routes (provider/model) of the running gateway.");
        routes.Subcommands.Add(CreateReset());
        return routes;
    }

    private static Command CreateReset()
    {
        var route = new Argument<string>("ROUTE") { Description = "The route, provider/model (e.g. groq/llama-3.3-70b-versatile)." };
        var url = AdminCall.UrlOption();
        var reset = new Command("reset", "Close the route's breaker now: the next request calls the route.") { route, url };
        reset.SetAction((result, cancellationToken) => CommandErrors.GuardAsync(() =>
            ResetAsync(result.GetValue(route)!, result.GetValue(url)!, cancellationToken)));
        return reset;
    }

    private static async Task<int> ResetAsync(string route, string url, CancellationToken cancellationToken)
    {
        var answer = await AdminCall.PostAsync(url, "/admin/routes/" + Uri.EscapeDataString(route) + "/reset", cancellationToken);
        if (answer is null)
        {
            // Breakers live in the running gateway's memory only and start closed: there is nothing saved to clear.
            await Console.Error.WriteLineAsync(
                $"spillway: no gateway answers at {url}; a route's breaker lives only in a running gateway (and starts closed). Pass --url to reach it.");
            return 1;
        }

        if (!answer.Succeeded)
        {
            await Console.Error.WriteLineAsync($"spillway: {url}: {answer.ErrorMessage()}");
            return 1;
        }

        await Console.Out.WriteLineAsync($"Reset the breaker of {route} on the gateway at {url} (it was {answer.Text("breaker_was")}).");
        return 0;
    }
}
