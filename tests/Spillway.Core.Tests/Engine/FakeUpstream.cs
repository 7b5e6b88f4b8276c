using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace Spillway.Core.Tests.Engine;

/// <summary>
/// The upstreams of the engine's tests, under the real <c>UpstreamClient</c>: each provider (the request's host)
/// answers from a queue the test fills, then with its default answer. An answer may be held until the test
/// releases it, so a deadline is reached by advancing the fake clock, never by waiting.
/// </summary>
internal sealed class FakeUpstream : HttpMessageHandler
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<Func<CancellationToken, Task<HttpResponseMessage>>>> _queues = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Func<CancellationToken, Task<HttpResponseMessage>>> _defaults = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<SentRequest> _sent = new();

    /// <summary>Every request received, in order.</summary>
    public IReadOnlyList<SentRequest> Sent => [.. _sent];

    /// <summary>How many calls <paramref name="provider"/> received.</summary>
    public int CallsTo(string provider) => _sent.Count(s => s.Provider == provider);

    /// <summary>The next answer of <paramref name="provider"/>.</summary>
    public void Enqueue(string provider, Func<HttpResponseMessage> answer) =>
        Enqueue(provider, _ => Task.FromResult(answer()));

    public void Enqueue(string provider, Func<CancellationToken, Task<HttpResponseMessage>> answer) =>
        _queues.GetOrAdd(provider, _ => new()).Enqueue(answer);

    /// <summary>The next answer of <paramref name="provider"/> waits for <see cref="HeldAnswer.Release"/> (or the call's cancellation).</summary>
    public HeldAnswer Hold(string provider)
    {
        var held = new HeldAnswer();
        Enqueue(provider, held.AwaitAsync);
        return held;
    }

    /// <summary>What <paramref name="provider"/> answers once its queue is empty.</summary>
    public void Default(string provider, Func<HttpResponseMessage> answer) => _defaults[provider] = _ => Task.FromResult(answer());

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var provider = request.RequestUri!.Host.Split('.')[0];
        var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
        _sent.Enqueue(new SentRequest(provider, request.RequestUri.AbsolutePath, body));
        if (_queues.TryGetValue(provider, out var queue) && queue.TryDequeue(out var next))
        {
            return await next(cancellationToken);
        }

        if (_defaults.TryGetValue(provider, out var fallback))
        {
            return await fallback(cancellationToken);
        }

        throw new InvalidOperationException($"No answer scripted for '{provider}'.");
    }

    /// <summary>One request as it reached the upstream.</summary>
    public sealed record SentRequest(string Provider, string Path, string Body);
}

/// <summary>An answer the test hands over when it chooses; the call's cancellation (its deadline) ends the wait.</summary>
internal sealed class HeldAnswer
{
    private readonly TaskCompletionSource _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<HttpResponseMessage> _answer = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the request has reached the upstream (its deadline is running).</summary>
    public Task Arrived => _arrived.Task;

    public void Release(HttpResponseMessage response) => _answer.TrySetResult(response);

    internal async Task<HttpResponseMessage> AwaitAsync(CancellationToken cancellationToken)
    {
        _arrived.TrySetResult();
        return await _answer.Task.WaitAsync(cancellationToken);
    }
}

/// <summary>Answers as upstreams send them.</summary>
internal static class Answers
{
    public static HttpResponseMessage Json(HttpStatusCode status, string body, params (string Name, string Value)[] headers)
    {
        var response = new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        foreach (var (name, value) in headers)
        {
            response.Headers.TryAddWithoutValidation(name, value);
        }

        return response;
    }

    /// <summary>A 200 event stream of <paramref name="events"/> (each one whole SSE event, without its blank line).</summary>
    public static HttpResponseMessage Stream(IEnumerable<string> events)
    {
        var text = string.Concat(events.Select(e => e + "\n\n"));
        return StreamOver(new MemoryStream(Encoding.UTF8.GetBytes(text)));
    }

    /// <summary>A 200 event stream whose body is <paramref name="body"/> (a <see cref="ScriptedStream"/> to feed it by hand).</summary>
    public static HttpResponseMessage StreamOver(Stream body)
    {
        var content = new StreamContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/event-stream");
        return new HttpResponseMessage(HttpStatusCode.OK) { Content = content };
    }
}
