using Google.Protobuf;
using Google.Protobuf.Collections;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Trace.V1;

namespace Spillway.TestSupport.Otlp;

/// <summary>Turns the OTLP messages the receiver decoded into the plain values of <see cref="ReceivedSpan"/>.</summary>
internal static class OtlpValues
{
    /// <summary>
    /// The value of an attribute as a test compares it: string, bool, long (every OTLP integer), double, byte[];
    /// an array as string[], bool[], long[] or double[] when all its elements have that type, otherwise object?[];
    /// a key-value list as a read-only dictionary; null when the value is empty.
    /// </summary>
    internal static object? From(AnyValue? value) => value?.ValueCase switch
    {
        AnyValue.ValueOneofCase.StringValue => value.StringValue,
        AnyValue.ValueOneofCase.BoolValue => value.BoolValue,
        AnyValue.ValueOneofCase.IntValue => value.IntValue,
        AnyValue.ValueOneofCase.DoubleValue => value.DoubleValue,
        AnyValue.ValueOneofCase.BytesValue => value.BytesValue.ToByteArray(),
        AnyValue.ValueOneofCase.ArrayValue => FromArray(value.ArrayValue.Values),
        AnyValue.ValueOneofCase.KvlistValue => Attributes(value.KvlistValue.Values),
        // None, and string-table indexes (a profiles-only encoding, meaningless without the profile's table).
        _ => null,
    };

    /// <summary>Key-value pairs as a dictionary (a repeated key keeps its last value, as the spec lets a receiver do).</summary>
    internal static IReadOnlyDictionary<string, object?> Attributes(RepeatedField<KeyValue> pairs)
    {
        var attributes = new Dictionary<string, object?>(pairs.Count, StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            attributes[pair.Key] = From(pair.Value);
        }

        return attributes;
    }

    /// <summary>An OTLP trace or span id as lowercase hex; null when it is empty (a root span's parent).</summary>
    internal static string? Id(ByteString id) => id.IsEmpty ? null : Convert.ToHexStringLower(id.Span);

    internal static string Kind(Span.Types.SpanKind kind) => kind.ToString();

    internal static string Status(Status? status) => (status?.Code ?? OpenTelemetry.Proto.Trace.V1.Status.Types.StatusCode.Unset).ToString();

    private static object FromArray(RepeatedField<AnyValue> values)
    {
        if (values.Count > 0 && values.All(v => v.ValueCase == AnyValue.ValueOneofCase.StringValue))
        {
            return values.Select(v => v.StringValue).ToArray();
        }

        if (values.Count > 0 && values.All(v => v.ValueCase == AnyValue.ValueOneofCase.BoolValue))
        {
            return values.Select(v => v.BoolValue).ToArray();
        }

        if (values.Count > 0 && values.All(v => v.ValueCase == AnyValue.ValueOneofCase.IntValue))
        {
            return values.Select(v => v.IntValue).ToArray();
        }

        if (values.Count > 0 && values.All(v => v.ValueCase == AnyValue.ValueOneofCase.DoubleValue))
        {
            return values.Select(v => v.DoubleValue).ToArray();
        }

        return values.Select(From).ToArray();
    }
}
