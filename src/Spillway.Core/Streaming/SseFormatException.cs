namespace Spillway.Core.Streaming;

/// <summary>
/// A Server-Sent Events stream that cannot be read safely, such as an event larger than the reader's limit.
/// An upstream that sends one is misbehaving; the caller treats it like a broken connection.
/// </summary>
public sealed class SseFormatException : Exception
{
    public SseFormatException()
    {
    }

    public SseFormatException(string message)
        : base(message)
    {
    }

    public SseFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
