namespace Spillway.Core.Failures;

/// <summary>What the engine does after a failed step (the failure-class table in src/Spillway.Core/README.md).</summary>
internal enum FallbackDecision
{
    /// <summary>Try the next step of the chain.</summary>
    NextStep,

    /// <summary>Call the same step again at once (server error, connection failure; once).</summary>
    RetrySameStepNow,

    /// <summary>Stop and give the caller the upstream's reason (a caller fault or a refusal).</summary>
    Stop,
}
