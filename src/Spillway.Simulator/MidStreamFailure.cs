namespace Spillway.Simulator;

/// <summary>How a simulated <see cref="SimulatedFaultKind.FailMidStream"/> fault breaks a reply that has already started.</summary>
public enum MidStreamFailure
{
    /// <summary>The TCP connection is aborted: the client sees a truncated body and an I/O error.</summary>
    AbortConnection,

    /// <summary>
    /// OpenRouter's way: an error chunk (<c>"error":{…}</c>, <c>finish_reason:"error"</c>) is sent with status
    /// 200 already on the wire, then the stream ends without <c>[DONE]</c>.
    /// </summary>
    ErrorChunk,

    /// <summary>The stream goes silent with the connection open, until the client gives up.</summary>
    Stall,
}
