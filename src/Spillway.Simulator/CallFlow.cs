using System.Security.Cryptography;
using System.Text;

namespace Spillway.Simulator;

/// <summary>
/// The decisions every simulated completion endpoint makes, whatever its wire format, in this order:
/// 1. record the call, taking the next scripted fault in the same step;
/// 2. an error or hang fault answers at once (no validation, no quota);
/// 3. validate like the real API: key, required headers, body, known model;
/// 4. count the call against the free quota of its key (429 in the style's real shape when a window is full),
///    unless the call is unmetered (token counting);
/// 5. answer through the format's <see cref="SuccessWriter"/>.
/// </summary>
internal static class CallFlow
{
    public static async Task RunAsync(
        HttpContext context,
        SimulatedProvider provider,
        SimulatorRuntime runtime,
        IncomingCall call,
        SuccessWriter writeSuccess,
        bool metered = true)
    {
        var request = call.Request;
        var key = call.Key;
        var keyId = KeyId(key);
        var now = runtime.Time.GetUtcNow();
        var settings = provider.Settings();
        var path = context.Request.Path.Value ?? string.Empty;

        // :: Step 1: record, and take the scripted answer for this call.
        var fault = provider.BeginCall(taken => new RecordedCall(
            now,
            path,
            key is null ? null : SimulatedProvider.LastFour(key),
            request.Model,
            request.Stream,
            call.Body,
            taken?.Kind)
        {
            TraceParent = context.Request.Headers.TraceParent.FirstOrDefault(),
        });

        var facts = new ErrorFacts(
            ErrorKind.ServerError,
            request.Model ?? string.Empty,
            0,
            TimeSpan.Zero,
            request.PromptTokens,
            now,
            provider.Quota.Peek(keyId, now),
            settings.Limits,
            Mask(key));

        // :: Step 2: faults that replace the answer.
        if (fault is { ReplacesAnswer: true })
        {
            if (fault.Kind == SimulatedFaultKind.HangBeforeHeaders)
            {
                await HangAsync(context, runtime);
                return;
            }

            await ChatCompletionsEndpoint.WriteReplyAsync(context, ErrorReplies.Build(provider.Style, FaultFacts(fault, facts, provider.Style)));
            return;
        }

        // :: Step 3: validation, in the real API's order.
        var problem = key is null ? ErrorKind.MissingApiKey : call.HeaderProblem ?? request.Problem ?? PrefillProblem(request, provider.Style, settings);
        if (problem is null && settings.Models.Count > 0 && !settings.Models.Contains(request.Model, StringComparer.Ordinal))
        {
            problem = ErrorKind.ModelNotFound;
        }

        if (problem is { } kind)
        {
            await ChatCompletionsEndpoint.WriteReplyAsync(context, ErrorReplies.Build(provider.Style, facts with { Kind = kind }));
            return;
        }

        // :: Step 4: the free quota of this key. Token counting is metered apart from generation by the real
        // vendors, so an unmetered call neither uses nor checks it.
        var reply = ChatReply.Create(request, settings, provider.Style, provider.Name, now);
        if (!metered)
        {
            await writeSuccess(reply, [], fault, settings);
            return;
        }

        var verdict = provider.Quota.TryAdmit(keyId, settings.RequestsPerMinute, settings.RequestsPerDay, reply.TotalTokens, now);
        if (!verdict.Admitted)
        {
            var exceeded = verdict.Exceeded == QuotaWindow.PerDay ? ErrorKind.QuotaPerDay : ErrorKind.RateLimitedPerMinute;
            await ChatCompletionsEndpoint.WriteReplyAsync(context, ErrorReplies.Build(provider.Style, facts with
            {
                Kind = exceeded,
                Limit = verdict.Limit,
                RetryAfter = verdict.RetryAfter,
                Usage = verdict.Snapshot,
            }));
            return;
        }

        // :: Step 5: the answer.
        var headers = RateLimitHeaders.For(provider.Style, settings.Limits, verdict.Snapshot, reply.TotalTokens);
        await writeSuccess(reply, headers, fault, settings);
    }

    /// <summary>The raw request body.</summary>
    public static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }

    private static ErrorFacts FaultFacts(SimulatedFault fault, ErrorFacts facts, SimulatorStyle style) => fault.Kind switch
    {
        SimulatedFaultKind.RateLimited => facts with
        {
            Kind = ErrorKind.RateLimitedPerMinute,
            Limit = facts.Limits.RequestsPerMinute ?? FreeTierDefaults.PerMinute(style),
            RetryAfter = fault.RetryAfter ?? FreeTierDefaults.RateLimitedWait,
        },
        SimulatedFaultKind.UpstreamRateLimited when style == SimulatorStyle.OpenRouter => facts with { Kind = ErrorKind.UpstreamRateLimited },
        SimulatedFaultKind.UpstreamRateLimited => FaultFacts(SimulatedFault.RateLimited(), facts, style),
        SimulatedFaultKind.QuotaExhausted => facts with
        {
            Kind = ErrorKind.QuotaExhausted,
            Limit = facts.Limits.RequestsPerDay ?? FreeTierDefaults.PerDay(style),
            RetryAfter = facts.Usage.DayReset,
        },
        SimulatedFaultKind.Unauthorized => facts with { Kind = ErrorKind.InvalidApiKey },
        SimulatedFaultKind.Overloaded => facts with { Kind = ErrorKind.Overloaded },
        SimulatedFaultKind.ContextLengthExceeded => facts with { Kind = ErrorKind.ContextLengthExceeded },
        SimulatedFaultKind.ModelNotFound => facts with { Kind = ErrorKind.ModelNotFound },
        _ => facts with { Kind = ErrorKind.ServerError, Message = fault.Message },
    };

    /// <summary>Why the vendor would refuse the conversation's closing assistant turn, if it would.</summary>
    private static ErrorKind? PrefillProblem(ChatRequest request, SimulatorStyle style, ProviderSettings settings) => request.Prefill switch
    {
        null => null,
        _ when settings.Prefill == PrefillHandling.Refuse => ErrorKind.PrefillRefused,
        { PrefixFlag: false } when style == SimulatorStyle.Mistral => ErrorKind.PrefillRefused,
        { Text: var text } when style == SimulatorStyle.Anthropic && char.IsWhiteSpace(text[^1]) => ErrorKind.PrefillTrailingWhitespace,
        _ => null,
    };

    /// <summary>Holds the request without answering until the client (or the simulator's shutdown) ends it.</summary>
    private static async Task HangAsync(HttpContext context, SimulatorRuntime runtime)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, runtime.Stopping);
        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, linked.Token);
        }
        catch (OperationCanceledException)
        {
            // Expected: the only way out of a hang.
        }

        context.Abort();
    }

    /// <summary>An opaque per-key id for the quota counters, so the key itself is not kept.</summary>
    private static string KeyId(string? key) =>
        key is null ? string.Empty : Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>The key as OpenAI quotes it in a 401: a short prefix, stars, the last four characters.</summary>
    private static string Mask(string? key)
    {
        if (key is null)
        {
            return string.Empty;
        }

        if (key.Length <= 8)
        {
            return new string('*', Math.Max(0, key.Length - 4)) + SimulatedProvider.LastFour(key);
        }

        var prefix = Math.Min(6, key.Length - 8);
        return key[..prefix] + new string('*', key.Length - prefix - 4) + key[^4..];
    }
}
