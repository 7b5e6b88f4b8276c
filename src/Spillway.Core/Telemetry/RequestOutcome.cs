namespace Spillway.Core.Telemetry;

/// <summary>
/// The <c>outcome</c> label of <c>spillway_requests_total</c>: <c>ok</c>, or the class of error the client got, from
/// the status it got (the same classes its error body names): <c>invalid_request</c>, <c>authentication</c>,
/// <c>billing</c> (over budget), <c>permission_denied</c>, <c>not_found</c>, <c>request_too_large</c>,
/// <c>rate_limited</c>, <c>overloaded</c>, <c>timeout</c>, <c>server_error</c>, <c>upstream_failed</c> (no route could
/// serve it), <c>stream_error</c> (a stream that began and ended with an in-band error), <c>client_closed</c>.
/// </summary>
public static class RequestOutcome
{
    public static string Of(int status, string? error) => status switch
    {
        < 400 => error is null ? "ok" : "stream_error",
        499 => "client_closed",
        401 => "authentication",
        402 => "billing",
        403 => "permission_denied",
        404 => "not_found",
        413 => "request_too_large",
        429 => "rate_limited",
        502 => "upstream_failed",
        503 or 529 => "overloaded",
        504 => "timeout",
        >= 500 => "server_error",
        _ => "invalid_request",
    };
}
