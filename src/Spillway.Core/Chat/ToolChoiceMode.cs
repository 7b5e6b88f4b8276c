namespace Spillway.Core.Chat;

/// <summary>How the model may use tools.</summary>
public enum ToolChoiceMode
{
    /// <summary>The model decides (OpenAI <c>auto</c>, Anthropic <c>auto</c>).</summary>
    Auto,

    /// <summary>No tool call (OpenAI <c>none</c>, Anthropic <c>none</c>).</summary>
    None,

    /// <summary>At least one tool call (OpenAI <c>required</c>, Anthropic <c>any</c>).</summary>
    Required,

    /// <summary>A call of the one named tool (OpenAI function choice, Anthropic <c>tool</c>).</summary>
    Named,
}
