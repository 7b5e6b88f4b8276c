using System.Diagnostics;
using System.Text;
using Spillway.Core.Chat;
using Spillway.Core.Ledger;
using Spillway.Core.Providers;

namespace Spillway.Core.Telemetry;

/// <summary>
/// The spans of one client request (<c>chat {alias}</c>, a child of the server span that continued the client's W3C
/// trace context) and of each upstream call under it (<c>chat {model}</c>, kind client: the upstream call's
/// <c>traceparent</c> names it), with the GenAI conventions' attributes. With no listener nothing is started and
/// every method here returns at its first check. Never a secret: keys appear by id only, and prompt and completion
/// text only when <c>telemetry.capture_content</c> is on.
/// </summary>
public static class GatewaySpans
{
    /// <summary>The most content bytes kept in one attribute when content is captured.</summary>
    public const int MaxContentBytes = 16 * 1024;

    public static Activity? StartRequest(string operation, string requestedModel, string requestId, string clientFormat, string? clientId)
    {
        // Checked first: the span's name is built only when someone listens.
        if (!GatewayTelemetry.Source.HasListeners())
        {
            return null;
        }

        var activity = GatewayTelemetry.Source.StartActivity(operation + " " + requestedModel, ActivityKind.Internal);
        if (activity is not { IsAllDataRequested: true })
        {
            return activity;
        }

        activity.SetTag(GenAiAttributes.OperationName, operation);
        activity.SetTag(GenAiAttributes.RequestModel, requestedModel);
        activity.SetTag(GenAiAttributes.RequestId, requestId);
        activity.SetTag(GenAiAttributes.ClientFormat, clientFormat);
        activity.SetTag(GenAiAttributes.ClientId, clientId);
        return activity;
    }

    /// <summary>Gives the request's span what its ledger entry says (the caller ends it).</summary>
    public static void EndRequest(Activity? activity, LedgerEntry entry, string? finishReason)
    {
        if (activity is not { IsAllDataRequested: true })
        {
            return;
        }

        ArgumentNullException.ThrowIfNull(entry);
        if (entry.Route is { } route)
        {
            activity.SetTag(GenAiAttributes.ProviderName, RouteName.Provider(route));
            activity.SetTag(GenAiAttributes.ResponseModel, RouteName.Model(route));
            activity.SetTag(GenAiAttributes.Route, route);
        }

        SetUsage(activity, entry.Usage);
        SetFinish(activity, finishReason);
        activity.SetTag(GenAiAttributes.Attempts, entry.Attempts.Length);
        activity.SetTag(GenAiAttributes.HttpStatus, entry.Status);
        SetMoney(activity, GenAiAttributes.CostUsd, entry.CostUsd);
        SetMoney(activity, GenAiAttributes.SavedUsd, entry.SavedUsd);
        foreach (var attempt in entry.Attempts)
        {
            if (Outcomes.IsSkip(attempt.Outcome))
            {
                // A skip made no call, so it has no span of its own: an event on the request says which and why.
                activity.AddEvent(new ActivityEvent("spillway.skip", tags: new ActivityTagsCollection
                {
                    [GenAiAttributes.Route] = attempt.Route,
                    [GenAiAttributes.KeyId] = attempt.KeyId,
                    [GenAiAttributes.AttemptOutcome] = attempt.Outcome,
                }));
            }
        }

        var outcome = RequestOutcome.Of(entry.Status, entry.Error);
        if (outcome != "ok")
        {
            activity.SetTag(GenAiAttributes.ErrorType, outcome);
            activity.SetStatus(ActivityStatusCode.Error, entry.Error);
        }
    }

    /// <summary>Starts the span of one upstream call; the call's <c>traceparent</c> then names it.</summary>
    public static Activity? StartAttempt(string operation, RouteStep step)
    {
        if (!GatewayTelemetry.Source.HasListeners())
        {
            return null;
        }

        var activity = GatewayTelemetry.Source.StartActivity(operation + " " + step.Model, ActivityKind.Client);
        if (activity is not { IsAllDataRequested: true })
        {
            return activity;
        }

        activity.SetTag(GenAiAttributes.OperationName, operation);
        activity.SetTag(GenAiAttributes.ProviderName, step.Provider.Id);
        activity.SetTag(GenAiAttributes.RequestModel, step.UpstreamModel);
        activity.SetTag(GenAiAttributes.ServerAddress, step.Provider.BaseUrl.Host);
        activity.SetTag(GenAiAttributes.Route, step.Route);
        activity.SetTag(GenAiAttributes.KeyId, step.Key.Id);
        return activity;
    }

    /// <summary>Gives an upstream call's span its ledger attempt and, when it was served, its usage and cost (the caller ends it).</summary>
    public static void EndAttempt(Activity? activity, AttemptRecord attempt, TokenUsage? usage, decimal? cost, string? finishReason, string? responseModel)
    {
        if (activity is not { IsAllDataRequested: true })
        {
            return;
        }

        ArgumentNullException.ThrowIfNull(attempt);
        activity.SetTag(GenAiAttributes.AttemptOutcome, attempt.Outcome);
        activity.SetTag(GenAiAttributes.HttpStatus, attempt.Status);
        if (attempt.Outcome == Outcomes.Ok)
        {
            activity.SetTag(GenAiAttributes.ResponseModel, responseModel);
            SetUsage(activity, usage);
            SetFinish(activity, finishReason);
            SetMoney(activity, GenAiAttributes.CostUsd, cost);
        }
        else
        {
            activity.SetTag(GenAiAttributes.ErrorType, attempt.Outcome);
            activity.SetStatus(ActivityStatusCode.Error, attempt.Detail);
        }
    }

    /// <summary>Prompt or completion bytes as an attribute (UTF-8, cut at <see cref="MaxContentBytes"/>).</summary>
    public static void SetContent(Activity? activity, string name, ReadOnlySpan<byte> content)
    {
        if (activity is not { IsAllDataRequested: true })
        {
            return;
        }

        var kept = content.Length > MaxContentBytes ? content[..MaxContentBytes] : content;
        activity.SetTag(name, Encoding.UTF8.GetString(kept));
    }

    private static void SetUsage(Activity activity, TokenUsage? usage)
    {
        if (usage is { } known)
        {
            activity.SetTag(GenAiAttributes.InputTokens, known.InputTokens);
            activity.SetTag(GenAiAttributes.OutputTokens, known.OutputTokens);
        }
    }

    private static void SetFinish(Activity activity, string? finishReason)
    {
        if (finishReason is not null)
        {
            activity.SetTag(GenAiAttributes.FinishReasons, new[] { finishReason });
        }
    }

    private static void SetMoney(Activity activity, string name, decimal? usd)
    {
        if (usd is { } value)
        {
            activity.SetTag(name, (double)value);
        }
    }
}
