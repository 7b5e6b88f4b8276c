using System.Net.Sockets;
using System.Security.Authentication;
using Spillway.Core.Failures;
using Spillway.Core.Failures.Classification;

namespace Spillway.Core.Tests.Failures.Classification;

public partial class UpstreamFailureClassifierTests
{
    [Fact]
    public void ClassifyTransportError_CallerDeadlineFired_IsTimeout()
    {
        var result = UpstreamFailureClassifier.ClassifyTransportError(new TaskCanceledException("canceled"), timedOut: true, "groq");

        Assert.Equal(FailureClass.Timeout, result.Class);
        Assert.Equal("groq: no response in time - canceled", result.Reason);
        Assert.Equal(CooldownScope.None, result.Scope);
        Assert.Null(result.RetryAt);
    }

    [Fact]
    public void ClassifyTransportError_ConnectionRefused_IsConnectionFailed()
    {
        var refused = new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (api.groq.com:443)",
            new SocketException((int)SocketError.ConnectionRefused));

        var result = UpstreamFailureClassifier.ClassifyTransportError(refused, timedOut: false, "groq");

        Assert.Equal(FailureClass.ConnectionFailed, result.Class);
        Assert.Equal("groq: connection failed - Connection refused (api.groq.com:443)", result.Reason);
    }

    [Theory]
    [InlineData(SocketError.ConnectionRefused)]
    [InlineData(SocketError.ConnectionReset)]
    [InlineData(SocketError.HostUnreachable)]
    [InlineData(SocketError.TimedOut)]
    public void ClassifyTransportError_UnclassifiedRequestErrorOverASocketError_IsConnectionFailed(SocketError error)
    {
        var exception = new HttpRequestException("An error occurred while sending the request.", new SocketException((int)error));

        var result = UpstreamFailureClassifier.ClassifyTransportError(exception, timedOut: false);

        Assert.Equal(FailureClass.ConnectionFailed, result.Class);
        Assert.StartsWith("upstream: connection failed (" + error + ")", result.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(SocketError.ConnectionRefused)]
    [InlineData(SocketError.HostNotFound)]
    [InlineData(SocketError.NoData)]
    public void ClassifyTransportError_RefusedOrUnresolved_IsNotRetryable(SocketError error)
    {
        var exception = new HttpRequestException(HttpRequestError.ConnectionError, "failed", new SocketException((int)error));

        var result = UpstreamFailureClassifier.ClassifyTransportError(exception, timedOut: false, "groq");

        Assert.Equal(FailureClass.ConnectionFailed, result.Class);
        Assert.False(result.Retryable);
    }

    [Fact]
    public void ClassifyTransportError_NameResolutionError_IsNotRetryable()
    {
        var exception = new HttpRequestException(HttpRequestError.NameResolutionError, "Name or service not known (api.groq.com:443)");

        Assert.False(UpstreamFailureClassifier.ClassifyTransportError(exception, timedOut: false, "groq").Retryable);
    }

    [Theory]
    [InlineData(SocketError.ConnectionReset)]
    [InlineData(SocketError.ConnectionAborted)]
    [InlineData(SocketError.TryAgain)]
    public void ClassifyTransportError_ResetOrAborted_IsRetryable(SocketError error)
    {
        var exception = new HttpRequestException(HttpRequestError.ConnectionError, "failed", new SocketException((int)error));

        Assert.True(UpstreamFailureClassifier.ClassifyTransportError(exception, timedOut: false, "groq").Retryable);
    }

    [Fact]
    public void ClassifyTransportError_ResponseEnded_IsRetryable()
    {
        var exception = new HttpRequestException(HttpRequestError.ResponseEnded, "The response ended prematurely.");

        Assert.True(UpstreamFailureClassifier.ClassifyTransportError(exception, timedOut: false, "groq").Retryable);
    }

    [Fact]
    public void ClassifyTransportError_ConnectTimeoutInsideAConnectionError_IsTimeout()
    {
        var exception = new HttpRequestException(HttpRequestError.ConnectionError, "Connection error",
            new TimeoutException("no connection to api.groq.com:443 within 5 s"));

        var result = UpstreamFailureClassifier.ClassifyTransportError(exception, timedOut: false, "groq");

        Assert.Equal(FailureClass.Timeout, result.Class);
        Assert.Contains("no connection to api.groq.com:443 within 5 s", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void ClassifyTransportError_HttpClientTimeout_IsTimeout()
    {
        var exception = new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout of 30 seconds elapsing.",
            new TimeoutException("The operation was canceled."));

        Assert.Equal(FailureClass.Timeout, UpstreamFailureClassifier.ClassifyTransportError(exception, timedOut: false).Class);
    }

    [Fact]
    public void ClassifyTransportError_BareCancellation_IsTimeout()
    {
        Assert.Equal(FailureClass.Timeout,
            UpstreamFailureClassifier.ClassifyTransportError(new OperationCanceledException(), timedOut: false).Class);
    }

    [Theory]
    [InlineData(HttpRequestError.NameResolutionError, FailureClass.ConnectionFailed)]
    [InlineData(HttpRequestError.SecureConnectionError, FailureClass.ConnectionFailed)]
    [InlineData(HttpRequestError.ResponseEnded, FailureClass.ConnectionFailed)]
    [InlineData(HttpRequestError.HttpProtocolError, FailureClass.ConnectionFailed)]
    [InlineData(HttpRequestError.ProxyTunnelError, FailureClass.ConnectionFailed)]
    [InlineData(HttpRequestError.InvalidResponse, FailureClass.ServerError)]
    [InlineData(HttpRequestError.ConfigurationLimitExceeded, FailureClass.ServerError)]
    public void ClassifyTransportError_HttpRequestError_MapsToItsClass(HttpRequestError error, FailureClass expected)
    {
        var exception = new HttpRequestException(error, "failed");

        Assert.Equal(expected, UpstreamFailureClassifier.ClassifyTransportError(exception, timedOut: false).Class);
    }

    [Fact]
    public void ClassifyTransportError_TlsFailure_IsConnectionFailed()
    {
        var exception = new HttpRequestException("The SSL connection could not be established.", new AuthenticationException("bad cert"));

        Assert.Equal(FailureClass.ConnectionFailed, UpstreamFailureClassifier.ClassifyTransportError(exception, timedOut: false).Class);
    }

    [Fact]
    public void ClassifyTransportError_ResetWhileReading_IsConnectionFailed()
    {
        var exception = new IOException("Unable to read data from the transport connection: Connection reset by peer.");

        Assert.Equal(FailureClass.ConnectionFailed, UpstreamFailureClassifier.ClassifyTransportError(exception, timedOut: false).Class);
    }

    [Fact]
    public void ClassifyTransportError_UnknownException_IsConnectionFailedNamingTheType()
    {
        var result = UpstreamFailureClassifier.ClassifyTransportError(new InvalidOperationException("odd"), timedOut: false, "x");

        Assert.Equal(FailureClass.ConnectionFailed, result.Class);
        Assert.Equal("x: transport error (InvalidOperationException) - odd", result.Reason);
    }

    [Fact]
    public void ClassifyTransportError_KeyInTheMessage_IsScrubbed()
    {
        var exception = new HttpRequestException(HttpRequestError.NameResolutionError,
            "Name or service not known (generativelanguage.googleapis.com/v1beta/models?key=AIzaSyDUMMYDUMMYDUMMYDUMMY12345)");

        var result = UpstreamFailureClassifier.ClassifyTransportError(exception, timedOut: false, "gemini");

        Assert.DoesNotContain("AIza", result.Reason, StringComparison.Ordinal);
        Assert.Contains(FailureReason.Redacted, result.Reason, StringComparison.Ordinal);
    }
}
