using System.Runtime.CompilerServices;
using Spillway.Core.Chat;
using Spillway.Core.Codecs;
using Spillway.Core.Failures;
using Spillway.Core.Ledger;
using Spillway.Core.Providers;

namespace Spillway.Core.Engine;

/// <summary>
/// A stream that broke after the client had part of the answer goes on from the next admissible step, in the same
/// client stream (design.md §4, "Continuation after a broken stream"):
/// <code>
///   break ─▶ tool call begun, or nothing left to try? ──yes──▶ in-band error naming the break
///              │no
///              ▼
///   next step takes a prefill? ──yes──▶ same request + the text sent as a trailing assistant message;
///              │no                    only the continuation streams to the client
///              ▼                        │ the prefill refused (400)
///   the whole answer asked for ◀────────┘
///              │ begins with exactly the text sent? ──no──▶ next step
///              ▼yes
///   the rest streams to the client; a continuation that breaks too goes on the same way
/// </code>
/// Each call is priced on its own route; the client's usage and the ledger's are the sum.
/// </summary>
public sealed partial class FallbackEngine
{
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<StepResult> ContinueAsync(
        ChatCall call, IClientResponse client, RequestState state, int from, StepResult broken, CancellationToken aborted)
    {
        var transcript = state.Transcript!;
        var steps = call.Plan.Steps;
        Accumulate(state, transcript);
        for (var i = from; i < steps.Length && !aborted.IsCancellationRequested && Continuable(transcript); i++)
        {
            var step = steps[i];
            if (_admission.SkipsCooledKey(step, state))
            {
                continue;
            }

            var prefill = step.Provider.Prefill != AssistantPrefill.None;
            while (true)
            {
                var plan = PlanContinuation(call, transcript, prefill);
                using var prepared = PrepareContinuation(call, step, state, plan);
                if (prepared is null)
                {
                    break;
                }

                using var lease = await _admission.TryAdmitAsync(call, step, state, aborted);
                if (!lease.IsAdmitted)
                {
                    break;
                }

                state.Continuations++;
                state.Usage = null;
                var result = await CallStepAsync(call, step, prepared, lease, client, state, aborted, plan);
                if (result.End is StepEnd.Served or StepEnd.ClientGone)
                {
                    return result;
                }

                if (result.Failure is { Class: FailureClass.Shutdown } stopped)
                {
                    // The gateway is stopping: the client hears why (already, when this continuation had written).
                    return result.End == StepEnd.FailedAfterCommit
                        ? result
                        : await EndStreamWithErrorAsync(call, client, state, stopped, broken.Status ?? 502, aborted);
                }

                if (result.End == StepEnd.Broken)
                {
                    // It broke too, after sending more (the next step goes on from there), or its regenerated answer
                    // did not match: either way it was billed.
                    Accumulate(state, transcript);
                    break;
                }

                var failure = result.Failure!;
                _admission.Cool(step, failure, _time.GetUtcNow());
                if (plan.Prefill is not null && failure.Class == FailureClass.CallerFault && !failure.ContextLengthExceeded)
                {
                    // The host refused the prefill: ask the same step for the whole answer instead.
                    prefill = false;
                    continue;
                }

                break;
            }
        }

        // Nothing could go on with the answer: the client learns of the first break, never of a refused prefill.
        return await EndStreamWithErrorAsync(call, client, state, broken.Failure!, broken.Status ?? 502, aborted);
    }

    /// <summary>An answer with a tool call begun is never continued; nor one whose text or opening is not known.</summary>
    private static bool Continuable(StreamTranscript transcript) =>
        !transcript.SawToolCall && !transcript.Overflowed && (transcript.Encoder is not null || transcript.Start is not null);

    /// <summary>The usage of the call that broke joins the earlier calls': the client and the ledger get the sum.</summary>
    private static void Accumulate(RequestState state, StreamTranscript transcript)
    {
        if (state.Usage is { } usage)
        {
            transcript.EarlierUsage = transcript.Plus(usage);
            state.Usage = null;
        }
    }

    /// <summary>
    /// The prefill is the text sent without its trailing whitespace (Anthropic refuses a prefill that ends in
    /// whitespace; a model continues a word better without it); that whitespace may come again and is skipped.
    /// </summary>
    private ContinuationPlan PlanContinuation(ChatCall call, StreamTranscript transcript, bool prefill)
    {
        var encoder = transcript.Encoder;
        if (encoder is null)
        {
            encoder = call.Client.CreateStreamEncoder(call.Inbound);
            encoder.Resume(new StreamResumePoint(transcript.Start!, transcript.Parts, transcript.OpenPart));
            transcript.Encoder = encoder;
        }

        var text = transcript.Text;
        if (!prefill || text.Length == 0)
        {
            return new ContinuationPlan(encoder, null, text, text.Length);
        }

        var trimmed = text.TrimEnd();
        return trimmed.Length == 0
            ? new ContinuationPlan(encoder, null, text, text.Length)
            : new ContinuationPlan(encoder, trimmed, text[trimmed.Length..], text.Length);
    }

    /// <summary>The continuation request: the client's request (decoded, whatever the formats) for this step, with
    /// the prefill as a trailing assistant message. Thinking is not asked for with a prefill (Anthropic refuses both).</summary>
    private PreparedRequest? PrepareContinuation(ChatCall call, RouteStep step, RequestState state, ContinuationPlan plan)
    {
        if (!_protocols.TryGetValue(step.Provider.Format, out var protocol) || call.Inbound.Canonical is not { Error: null } canonical)
        {
            return null;
        }

        var request = ForRoute(canonical.Value, call, step);
        if (plan.Prefill is { } text)
        {
            var message = new ChatMessage(ChatRole.Assistant, [new TextPart(text)]);
            if (step.Provider.Prefill == AssistantPrefill.PrefixFlag)
            {
                message = message with { Extensions = message.Extensions.With(new ChatExtension(WireFormat.OpenAI, "prefix", PrefixFlag)) };
            }

            request = request with { Messages = [.. request.Messages, message], Thinking = null };
        }

        var encoded = protocol.Encode(request, step);
        if (encoded.Error is { } refused)
        {
            SkipForCapability(step, state, refused.Message, refused);
            return null;
        }

        return PreparedRequest.Translated(protocol, encoded.Value);
    }

    private static readonly RawJson PrefixFlag = RawJson.FromString("true");
}
