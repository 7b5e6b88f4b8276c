using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Spillway.Bench.Load.Measure;

namespace Spillway.Bench.Load.Targets;

/// <summary>
/// Puts the cooled chain's first step into cooldown the way production does: one request whose first step
/// answers a real billing 429, so Spillway cools that key and serves from the next step; every later request
/// skips the cooled step without a call. Checks both from Spillway's own response headers.
/// </summary>
internal static class CooldownPrimer
{
    public static async Task PrimeAsync(RunningTarget target, CancellationToken cancellationToken)
    {
        using var client = new HttpClient();
        await ExpectAsync(client, target, attempts: 2, cancellationToken);
        await ExpectAsync(client, target, attempts: 1, cancellationToken);
    }

    private static async Task ExpectAsync(HttpClient client, RunningTarget target, int attempts, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, target.ChatUrl)
        {
            Content = new StringContent(RequestBodies.Chat(target.Model, stream: false), Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
        foreach (var (name, value) in target.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await client.SendAsync(request, cancellationToken);
        var route = Header(response, "x-spillway-route");
        var calls = Header(response, "x-spillway-attempts");
        if (response.StatusCode != HttpStatusCode.OK || route != SpillwayLauncher.ServedRoute || calls != attempts.ToString(System.Globalization.CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException(
                $"{target.Name}: priming expected 200 from {SpillwayLauncher.ServedRoute} after {attempts} upstream call(s), " +
                $"got {(int)response.StatusCode} from '{route}' after '{calls}'");
        }
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}
