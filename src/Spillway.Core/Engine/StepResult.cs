using Spillway.Core.Codecs;
using Spillway.Core.Failures;

namespace Spillway.Core.Engine;

/// <summary>How one upstream call ended, as a value (failures are values, not exceptions).</summary>
internal readonly record struct StepResult(StepEnd End, FailureClassification? Failure, int? Status)
{
    /// <summary>The attempt's ledger outcome when it is not the one its end and failure class give.</summary>
    public string? Outcome { get; init; }

    public static StepResult Served(int status) => new(StepEnd.Served, null, status);

    public static StepResult Failed(FailureClassification failure, int? status) => new(StepEnd.Failed, failure, status);

    /// <summary>Bytes had reached the client when the upstream failed: the response is over, no fallback.</summary>
    public static StepResult FailedAfterCommit(FailureClassification failure, int? status) =>
        new(StepEnd.FailedAfterCommit, failure, status);

    /// <summary>Bytes had reached the client when the upstream failed, and the client's stream is still open: the
    /// answer may go on from another step (<see cref="StreamTranscript"/>). The provider billed the call.</summary>
    public static StepResult Broken(FailureClassification failure, int? status) => new(StepEnd.Broken, failure, status);

    public static StepResult ClientGone(int? status) => new(StepEnd.ClientGone, null, status);
}

internal enum StepEnd
{
    Served,
    Failed,
    FailedAfterCommit,
    Broken,
    ClientGone,
}
