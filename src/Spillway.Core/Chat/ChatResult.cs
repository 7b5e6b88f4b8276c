namespace Spillway.Core.Chat;

/// <summary>
/// The outcome of a decode or encode: a value, or the <see cref="ChatError"/> that explains why there is none.
/// Translation failures are values, not exceptions: a request that cannot be carried becomes a 400 in the client's
/// format.
/// </summary>
/// <typeparam name="T">The value's type.</typeparam>
public readonly struct ChatResult<T>
    where T : class
{
    private readonly T? _value;

    /// <summary>A success.</summary>
    public ChatResult(T value)
    {
        ArgumentNullException.ThrowIfNull(value);
        _value = value;
        Error = null;
    }

    /// <summary>A failure.</summary>
    public ChatResult(ChatError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        _value = null;
        Error = error;
    }

    /// <summary>The failure, or null on success.</summary>
    public ChatError? Error { get; }

    /// <summary>True when there is a value.</summary>
    public bool IsSuccess => _value is not null;

    /// <summary>The value.</summary>
    /// <exception cref="InvalidOperationException">The result is a failure.</exception>
    public T Value => _value ?? throw new InvalidOperationException(
        "The result is a failure: " + (Error?.Message ?? "no value."));

    public static implicit operator ChatResult<T>(T value) => new(value);

    public static implicit operator ChatResult<T>(ChatError error) => new(error);
}
