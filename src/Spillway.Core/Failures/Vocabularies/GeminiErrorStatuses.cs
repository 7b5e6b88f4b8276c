namespace Spillway.Core.Failures.Vocabularies;

/// <summary>
/// Gemini's error words: the google.rpc canonical codes of <c>error.status</c> in
/// <c>{"error":{"code","message","status","details"}}</c> (wire-facts §3.6), and the <c>google.rpc.ErrorInfo</c>
/// reasons that name a bad key. The classification rules (<c>Failures/Classification/GeminiRules.cs</c>,
/// <c>GenericRules.cs</c>) and the codec (<c>Codecs/Gemini/GeminiErrorCodec.cs</c>) both spell them from here.
/// </summary>
internal static class GeminiErrorStatuses
{
    public const string InvalidArgument = "INVALID_ARGUMENT";

    public const string FailedPrecondition = "FAILED_PRECONDITION";

    public const string OutOfRange = "OUT_OF_RANGE";

    public const string Unauthenticated = "UNAUTHENTICATED";

    public const string PermissionDenied = "PERMISSION_DENIED";

    public const string NotFound = "NOT_FOUND";

    public const string AlreadyExists = "ALREADY_EXISTS";

    /// <summary>A quota or rate limit was hit (HTTP 429).</summary>
    public const string ResourceExhausted = "RESOURCE_EXHAUSTED";

    public const string Cancelled = "CANCELLED";

    public const string DataLoss = "DATA_LOSS";

    public const string Unknown = "UNKNOWN";

    public const string Internal = "INTERNAL";

    public const string Unimplemented = "UNIMPLEMENTED";

    /// <summary>The model is overloaded (HTTP 503).</summary>
    public const string Unavailable = "UNAVAILABLE";

    public const string DeadlineExceeded = "DEADLINE_EXCEEDED";

    public const string Aborted = "ABORTED";

    /// <summary><c>google.rpc.ErrorInfo</c> reason: the API key is not valid.</summary>
    public const string ApiKeyInvalidReason = "API_KEY_INVALID";

    /// <summary><c>google.rpc.ErrorInfo</c> reason: the API key has expired.</summary>
    public const string ApiKeyExpiredReason = "API_KEY_EXPIRED";
}
