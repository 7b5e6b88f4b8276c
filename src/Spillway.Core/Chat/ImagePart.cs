namespace Spillway.Core.Chat;

/// <summary>An image in a user message or a tool result.</summary>
/// <param name="Source">Where the image comes from.</param>
public sealed record ImagePart(ImageSource Source) : ChatContentPart;
