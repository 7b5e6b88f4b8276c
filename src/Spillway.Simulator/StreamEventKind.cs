namespace Spillway.Simulator;

/// <summary>The role of one event in a streamed answer.</summary>
internal enum StreamEventKind
{
    /// <summary>The first chunk: <c>delta.role</c> (and, for a tool call, the call's id and name).</summary>
    Role,

    /// <summary>A piece of the answer: text or tool-call arguments.</summary>
    Content,

    /// <summary><c>delta:{}</c> with the finish_reason.</summary>
    Finish,

    /// <summary><c>choices:[]</c> with the usage (only when asked for).</summary>
    Usage,
}
