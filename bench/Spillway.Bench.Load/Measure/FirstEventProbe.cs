using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Spillway.Bench.Load.Targets;

namespace Spillway.Bench.Load.Measure;

/// <summary>
/// Times the first streamed event: sequential streamed requests on one kept-alive connection, each timed from
/// the send until the first <c>data:</c> line is read, then read to its end (which must be <c>[DONE]</c>).
/// </summary>
internal static class FirstEventProbe
{
    private const int Warmup = 20;

    // A role chunk, ten words, the finish chunk and [DONE] at least: fewer means a proxy lost events.
    private const int MinimumEvents = 13;

    public static async Task<FirstEventResult> RunAsync(RunningTarget target, int count, CancellationToken cancellationToken)
    {
        using var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
        };

        // HttpMessageInvoker returns at the response headers and never buffers the body.
        using var client = new HttpMessageInvoker(handler);
        var body = Encoding.UTF8.GetBytes(RequestBodies.Chat(target.Model, stream: true));
        var samples = new List<double>(count);
        for (var i = -Warmup; i < count; i++)
        {
            var firstEvent = await TimeOneAsync(client, target, body, cancellationToken);
            if (i >= 0)
            {
                samples.Add(firstEvent.TotalMicroseconds);
            }
        }

        samples.Sort();
        return new FirstEventResult(samples.Count, Percentiles.Of(samples, 50), Percentiles.Of(samples, 90), Percentiles.Of(samples, 99));
    }

    private static async Task<TimeSpan> TimeOneAsync(
        HttpMessageInvoker client, RunningTarget target, byte[] body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, target.ChatUrl) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        foreach (var (name, value) in target.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        var started = Stopwatch.GetTimestamp();
        using var response = await client.SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"{target.Name}: a streamed request answered {(int)response.StatusCode}");
        }

        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        TimeSpan? firstEvent = null;
        var events = 0;
        string? last = null;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (!line.StartsWith("data:", StringComparison.Ordinal))
            {
                continue;
            }

            firstEvent ??= Stopwatch.GetElapsedTime(started);
            events++;
            last = line;
        }

        if (firstEvent is null || events < MinimumEvents || last is not ("data: [DONE]" or "data:[DONE]"))
        {
            throw new InvalidOperationException($"{target.Name}: a stream ended after {events} events, last '{last}'");
        }

        return firstEvent.Value;
    }
}
