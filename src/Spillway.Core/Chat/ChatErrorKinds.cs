namespace Spillway.Core.Chat;

/// <summary>The HTTP status that goes with each <see cref="ChatErrorKind"/>, both ways.</summary>
internal static class ChatErrorKinds
{
    public static ChatErrorKind FromStatus(int status) => status switch
    {
        401 => ChatErrorKind.Authentication,
        402 => ChatErrorKind.Billing,
        403 => ChatErrorKind.PermissionDenied,
        404 => ChatErrorKind.NotFound,
        413 => ChatErrorKind.RequestTooLarge,
        429 => ChatErrorKind.RateLimited,
        503 or 529 => ChatErrorKind.Overloaded,
        504 => ChatErrorKind.Timeout,
        >= 500 => ChatErrorKind.Server,
        _ => ChatErrorKind.InvalidRequest,
    };

    public static int DefaultStatus(ChatErrorKind kind) => kind switch
    {
        ChatErrorKind.Authentication => 401,
        ChatErrorKind.Billing => 402,
        ChatErrorKind.PermissionDenied => 403,
        ChatErrorKind.NotFound => 404,
        ChatErrorKind.RequestTooLarge => 413,
        ChatErrorKind.RateLimited => 429,
        ChatErrorKind.Server => 500,
        ChatErrorKind.Timeout => 504,
        ChatErrorKind.Overloaded => 529,
        ChatErrorKind.UpstreamFailed => 502,
        _ => 400,
    };
}
