namespace Spillway.Core.Configuration;

/// <summary>What an alias does when a stream breaks after the client received part of the answer.</summary>
public enum StreamFailureMode
{
    /// <summary>The answer goes on from the next admissible route, in the same stream (the default).</summary>
    Continue,

    /// <summary>The stream ends with an in-band error event that says the answer is incomplete.</summary>
    Error,
}
