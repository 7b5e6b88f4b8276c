using Microsoft.Extensions.Logging;
using Spillway.Core.Buffers;
using Spillway.Core.Chat;
using Spillway.Core.Codecs;
using Spillway.Core.Codecs.Anthropic;
using Spillway.Core.Codecs.Gemini;
using Spillway.Core.KeyState;
using Spillway.Core.Providers;
using Spillway.Core.Tokens;

namespace Spillway.Core.Counting;

/// <summary>
/// Answers Anthropic's <c>count_tokens</c> along a plan: the first step whose key is not cooling decides. An
/// Anthropic-format upstream counts with its own <c>messages/count_tokens</c> (the answer relayed as it came), a
/// Gemini one with <c>:countTokens</c>; an OpenAI-format one has no counting endpoint, so the count is made here
/// (<see cref="LocalTokenCounter"/>). An upstream count that fails (429, 5xx, a dropped connection, a timeout)
/// passes to the next step, and past the last step to the local count. Count calls leave key cooldowns alone:
/// providers meter counting apart from generation.
/// </summary>
public sealed partial class TokenCounting(UpstreamClient upstream, IKeyStateStore keys, TimeProvider time, ILogger<TokenCounting> logger)
{
    /// <summary>The largest count answer read; anything longer is not a count.</summary>
    private const int MaxAnswerBytes = 64 * 1024;

    public async Task<TokenCountResult> CountAsync(TokenCountRequest request, CancellationToken aborted)
    {
        ArgumentNullException.ThrowIfNull(request);
        var calls = 0;
        List<string>? tried = null;
        foreach (var step in request.Plan.Steps)
        {
            if (keys.GetCooldown(step.Key.Id, step.Model, time.GetUtcNow()) is not null)
            {
                continue;
            }

            if (step.Provider.Format == WireFormat.OpenAI)
            {
                break;
            }

            calls++;
            (tried ??= []).Add(step.Route);
            var result = step.Provider.Format == WireFormat.Anthropic
                ? await CountAtAnthropicAsync(request, step, calls, aborted)
                : await CountAtGeminiAsync(request, step, calls, aborted);
            if (result is not null)
            {
                return result with { Tried = tried };
            }
        }

        var local = LocalTokenCounter.Count(request.Decoded);
        return new TokenCountResult(200, AnthropicCountTokens.EncodeResponse(local), null, calls)
        {
            InputTokens = local,
            Tried = (IReadOnlyList<string>?)tried ?? [],
        };
    }

    private async Task<TokenCountResult?> CountAtAnthropicAsync(TokenCountRequest request, RouteStep step, int calls, CancellationToken aborted)
    {
        using var body = new PooledBufferWriter(request.Body.Length + 64);
        if (!TopLevelModelRewriter.Rewrite(request.Body.Span, step.UpstreamModel, body))
        {
            return null;
        }

        using var message = upstream.CreatePost(step, AnthropicCountTokens.Path, body.WrittenMemory);
        message.Headers.TryAddWithoutValidation(AnthropicHeaders.Version, request.AnthropicVersion ?? AnthropicUpstreamProtocol.DefaultVersion);
        if (request.AnthropicBeta is { Length: > 0 } beta)
        {
            message.Headers.TryAddWithoutValidation(AnthropicHeaders.Beta, beta);
        }

        var (status, answer) = await SendAsync(step, message, request, aborted);
        if (status == 200 && AnthropicCountTokens.DecodeResponse(answer) is { } count)
        {
            return new TokenCountResult(200, answer, step.Route, calls) { InputTokens = count };
        }

        // Anthropic refusing the request itself (malformed, too large) is the caller's to see, in Anthropic's words,
        // less any key they echo.
        if (status is 400 or 413 && answer.Length > 0)
        {
            var refusal = AnthropicErrorCodec.Decode(status.Value, answer);
            var scrubbed = refusal with { Message = KeyScrubber.Scrub(refusal.Message, step.Key.Value) };
            return new TokenCountResult(status.Value, AnthropicErrorCodec.EncodeBody(scrubbed), step.Route, calls);
        }

        Log.UpstreamCountFailed(logger, step.Route, step.Key.Id, status);
        return null;
    }

    private async Task<TokenCountResult?> CountAtGeminiAsync(TokenCountRequest request, RouteStep step, int calls, CancellationToken aborted)
    {
        var encoded = GeminiCountTokens.EncodeRequest(request.Decoded with { Model = step.UpstreamModel });
        if (encoded.Error is not null)
        {
            Log.UpstreamCountFailed(logger, step.Route, step.Key.Id, null);
            return null;
        }

        using var message = upstream.CreatePost(step, GeminiPaths.CountTokens(step.UpstreamModel), encoded.Value.Body);
        var (status, answer) = await SendAsync(step, message, request, aborted);
        if (status == 200 && GeminiCountTokens.DecodeResponse(answer) is { IsSuccess: true } decoded)
        {
            var total = decoded.Value.TotalTokens;
            return new TokenCountResult(200, AnthropicCountTokens.EncodeResponse(total), step.Route, calls) { InputTokens = total };
        }

        Log.UpstreamCountFailed(logger, step.Route, step.Key.Id, status);
        return null;
    }

    /// <summary>Sends one count call within the step's first-token timeout; a null status is a transport failure.</summary>
    private async Task<(int? Status, byte[] Body)> SendAsync(
        RouteStep step, HttpRequestMessage message, TokenCountRequest request, CancellationToken aborted)
    {
        var timeouts = step.Provider.Timeouts ?? request.Timeouts;
        using var deadline = new CancellationTokenSource(timeouts.FirstToken, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(aborted, deadline.Token);
        try
        {
            using var response = await upstream.SendAsync(message, linked.Token);
            var body = await ReadBoundedAsync(response.Content, linked.Token);
            return ((int)response.StatusCode, body ?? []);
        }
        catch (Exception ex) when (!aborted.IsCancellationRequested && ex is HttpRequestException or OperationCanceledException or IOException)
        {
            return (null, []);
        }
    }

    private static async Task<byte[]?> ReadBoundedAsync(HttpContent content, CancellationToken token)
    {
        if (content.Headers.ContentLength > MaxAnswerBytes)
        {
            return null;
        }

        await using var stream = await content.ReadAsStreamAsync(token);
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await stream.ReadAsync(chunk, token)) > 0)
        {
            if (buffer.Length + read > MaxAnswerBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "Token count at {Route} with key {KeyId} failed (status {Status}); trying the next step")]
        public static partial void UpstreamCountFailed(ILogger logger, string route, string keyId, int? status);
    }
}
