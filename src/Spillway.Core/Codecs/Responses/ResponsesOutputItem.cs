namespace Spillway.Core.Codecs.Responses;

/// <summary>The kinds of output item the gateway writes.</summary>
internal enum ResponsesItemKind
{
    /// <summary><c>reasoning</c>, with the thinking text as its one summary.</summary>
    Reasoning,

    /// <summary>An assistant <c>message</c> with one <c>output_text</c> part.</summary>
    Message,

    /// <summary>A <c>function_call</c>.</summary>
    FunctionCall,
}

/// <summary>One output item of a response, complete or as far as streamed.</summary>
/// <param name="Kind">Its kind.</param>
/// <param name="Id">Its id (<c>rs_…</c>, <c>msg_…</c>, <c>fc_…</c>).</param>
/// <param name="Text">The summary text, the message text, or the call's arguments.</param>
internal sealed record ResponsesOutputItem(ResponsesItemKind Kind, string Id, string Text)
{
    /// <summary>The call id a <c>function_call_output</c> refers back to; function calls only.</summary>
    public string? CallId { get; init; }

    /// <summary>The function's name; function calls only.</summary>
    public string? Name { get; init; }

    /// <summary>The id prefix of <paramref name="kind"/>.</summary>
    public static string PrefixOf(ResponsesItemKind kind) => kind switch
    {
        ResponsesItemKind.Reasoning => "rs_",
        ResponsesItemKind.FunctionCall => "fc_",
        _ => "msg_",
    };

    /// <summary>The id of the item at <paramref name="outputIndex"/> of the response <paramref name="responseId"/>: stable, so a resumed stream names items the same way.</summary>
    public static string IdFor(ResponsesItemKind kind, string responseId, int outputIndex)
    {
        var unique = responseId.StartsWith(ResponseIds.ResponsesPrefix, StringComparison.Ordinal)
            ? responseId.AsSpan(ResponseIds.ResponsesPrefix.Length)
            : responseId.AsSpan();
        return string.Concat(PrefixOf(kind), unique, "_", outputIndex.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
