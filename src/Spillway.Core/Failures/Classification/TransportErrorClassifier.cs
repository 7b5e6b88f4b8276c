using System.Net.Sockets;
using System.Security.Authentication;

namespace Spillway.Core.Failures.Classification;

/// <summary>
/// Classifies a call that produced no HTTP answer: a timeout (never retried) or a connection that failed before
/// any byte (retried once at once, unless it was refused or the host name did not resolve: a second call at once
/// meets the same answer), src/Spillway.Core/README.md, "Failure classes".
/// </summary>
internal static class TransportErrorClassifier
{
    public static FailureClassification Classify(string providerId, Exception exception, bool timedOut)
    {
        if (timedOut)
        {
            return Make(providerId, FailureClass.Timeout, "no response in time", exception);
        }

        // A connection that did not open in time surfaces as a connection error around a TimeoutException: the
        // route was silent, and a silent route is not retried.
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is TimeoutException)
            {
                return Make(providerId, FailureClass.Timeout, "timed out", current);
            }
        }

        var classified = ClassifyFailure(providerId, exception);
        return classified.Class == FailureClass.ConnectionFailed && CannotChangeAtOnce(exception)
            ? classified with { Retryable = false }
            : classified;
    }

    private static FailureClassification ClassifyFailure(string providerId, Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            var decided = current switch
            {
                HttpRequestException http => FromHttpRequestError(providerId, http),
                SocketException socket => Make(providerId, FailureClass.ConnectionFailed,
                    "connection failed (" + socket.SocketErrorCode + ")", socket),
                AuthenticationException => Make(providerId, FailureClass.ConnectionFailed, "TLS handshake failed", current),
                IOException => Make(providerId, FailureClass.ConnectionFailed, "connection broken", current),
                _ => null,
            };
            if (decided is not null)
            {
                return decided;
            }
        }

        // A bare cancellation reaching here is the caller's own deadline (a linked token with CancelAfter);
        // HttpClient.Timeout arrives as a TaskCanceledException around a TimeoutException, handled above.
        if (exception is OperationCanceledException)
        {
            return Make(providerId, FailureClass.Timeout, "canceled before a response", exception);
        }

        return Make(providerId, FailureClass.ConnectionFailed, "transport error (" + exception.GetType().Name + ")", exception);
    }

    /// <summary>A refused connection or a name that does not resolve: the same call at once gets the same answer.</summary>
    private static bool CannotChangeAtOnce(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError } ||
                current is SocketException
                {
                    SocketErrorCode: SocketError.ConnectionRefused or SocketError.HostNotFound or SocketError.NoData,
                })
            {
                return true;
            }
        }

        return false;
    }

    private static FailureClassification? FromHttpRequestError(string providerId, HttpRequestException http) =>
        http.HttpRequestError switch
        {
            HttpRequestError.NameResolutionError => Make(providerId, FailureClass.ConnectionFailed, "name resolution failed", http),
            HttpRequestError.ConnectionError => Make(providerId, FailureClass.ConnectionFailed, "connection failed", http),
            HttpRequestError.SecureConnectionError => Make(providerId, FailureClass.ConnectionFailed, "TLS handshake failed", http),
            HttpRequestError.ProxyTunnelError => Make(providerId, FailureClass.ConnectionFailed, "proxy tunnel failed", http),
            HttpRequestError.VersionNegotiationError => Make(providerId, FailureClass.ConnectionFailed, "HTTP version negotiation failed", http),
            HttpRequestError.ResponseEnded => Make(providerId, FailureClass.ConnectionFailed, "connection closed before the response ended", http),
            HttpRequestError.HttpProtocolError => Make(providerId, FailureClass.ConnectionFailed, "HTTP protocol error", http),
            HttpRequestError.InvalidResponse => Make(providerId, FailureClass.ServerError, "invalid HTTP response", http),
            HttpRequestError.ConfigurationLimitExceeded => Make(providerId, FailureClass.ServerError, "response exceeded a configured limit", http),

            // Unknown: the inner exception (a SocketException, an IOException) tells more.
            _ => null,
        };

    private static FailureClassification Make(string providerId, FailureClass failure, string summary, Exception exception) =>
        new(failure, FailureReason.Build(providerId, summary, exception.Message));
}
