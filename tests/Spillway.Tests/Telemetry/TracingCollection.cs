namespace Spillway.Tests.Telemetry;

/// <summary>
/// Tests that start a gateway exporting traces, and tests that prove a gateway without a collector makes no span,
/// run alone: ActivitySource listeners are process-wide, so a traced gateway running beside an untraced one makes the
/// untraced one's HttpClient start activities (and send a traceparent) too.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TracingCollection
{
    public const string Name = "Tracing";
}
