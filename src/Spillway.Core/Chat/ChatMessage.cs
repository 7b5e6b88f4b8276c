namespace Spillway.Core.Chat;

/// <summary>One turn of the conversation.</summary>
/// <param name="Role">Who speaks.</param>
/// <param name="Content">What is said, in order.</param>
public sealed record ChatMessage(ChatRole Role, IReadOnlyList<ChatContentPart> Content)
{
    /// <summary>Vendor-only fields of the message, such as OpenAI <c>name</c>.</summary>
    public ChatExtensions Extensions { get; init; } = ChatExtensions.Empty;
}
