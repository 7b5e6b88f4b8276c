namespace Spillway.TestSupport.Otlp;

/// <summary>
/// One span as an OTLP exporter sent it, decoded with the official schema (<see cref="OtlpTraceReceiver"/>).
/// </summary>
/// <param name="TraceId">The trace id, 32 lowercase hex digits.</param>
/// <param name="SpanId">The span id, 16 lowercase hex digits.</param>
/// <param name="ParentSpanId">The parent's span id (16 lowercase hex digits); null for a root span.</param>
/// <param name="Name">The span's name.</param>
/// <param name="Kind">The OTLP kind without its prefix: Unspecified, Internal, Server, Client, Producer or Consumer.</param>
/// <param name="Attributes">
/// The span's attributes: string, bool, long (every OTLP integer), double, byte[]; an array as string[], bool[],
/// long[] or double[] when all its elements have that type, otherwise object?[]; a key-value list as a read-only
/// dictionary; null for an empty value.
/// </param>
/// <param name="ResourceAttributes">The attributes of the resource that sent the span (<c>service.name</c>...).</param>
/// <param name="ScopeName">The instrumentation scope (for .NET, the ActivitySource's name); empty when none was sent.</param>
/// <param name="StatusCode">The OTLP status code without its prefix: Unset, Ok or Error.</param>
public sealed record ReceivedSpan(
    string TraceId,
    string SpanId,
    string? ParentSpanId,
    string Name,
    string Kind,
    IReadOnlyDictionary<string, object?> Attributes,
    IReadOnlyDictionary<string, object?> ResourceAttributes,
    string ScopeName,
    string StatusCode);
