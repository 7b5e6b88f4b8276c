using System.Globalization;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Spillway.Core.Engine;

namespace Spillway.Bench.Yield.Workload;

/// <summary>
/// The workload: <c>clients</c> clients, each sending one small non-streamed chat request to the alias every
/// simulated second, all together (concurrent) or one after another (sequential). Each second's requests are
/// answered before the shared clock moves on, so no deadline of the gateway's (measured on that clock) can fire
/// while a call is in flight.
/// </summary>
internal static class SteadyClients
{
    private const string Body =
        "{\"model\":\"{0}\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello in five words.\"}]}";

    public static async Task<IReadOnlyList<RequestOutcome>> RunAsync(
        Uri gateway, string alias, int clients, bool sequential, int seconds, FakeTimeProvider clock, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = gateway, Timeout = TimeSpan.FromSeconds(30) };
        var body = Body.Replace("{0}", alias, StringComparison.Ordinal);
        var outcomes = new List<RequestOutcome>(clients * seconds);
        var batch = new Task<RequestOutcome>[clients];
        for (var second = 0; second < seconds; second++)
        {
            var now = clock.GetUtcNow();
            for (var client = 0; client < clients; client++)
            {
                batch[client] = SendAsync(http, body, now, cancellationToken);
                if (sequential)
                {
                    await batch[client];
                }
            }

            outcomes.AddRange(await Task.WhenAll(batch));
            clock.Advance(TimeSpan.FromSeconds(1));
        }

        return outcomes;
    }

    private static async Task<RequestOutcome> SendAsync(HttpClient http, string body, DateTimeOffset now, CancellationToken cancellationToken)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(new Uri("/v1/chat/completions", UriKind.Relative), content, cancellationToken);
        _ = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        var route = response.Headers.TryGetValues(SpillwayHeaders.Route, out var routes) ? routes.First() : null;
        var calls = response.Headers.TryGetValues(SpillwayHeaders.Attempts, out var attempts)
            && int.TryParse(attempts.First(), CultureInfo.InvariantCulture, out var n) ? n : 0;
        return new RequestOutcome(now, (int)response.StatusCode, route, calls);
    }
}
