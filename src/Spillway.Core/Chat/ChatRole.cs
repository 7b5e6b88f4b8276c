namespace Spillway.Core.Chat;

/// <summary>Who speaks a <see cref="ChatMessage"/>. The system prompt is not a message (<see cref="ChatRequest.System"/>).</summary>
public enum ChatRole
{
    /// <summary>The caller: text, images, opaque documents.</summary>
    User,

    /// <summary>The model: text, thinking, tool calls.</summary>
    Assistant,

    /// <summary>Results of the assistant's tool calls: <see cref="ToolResultPart"/>s only.</summary>
    Tool,
}
