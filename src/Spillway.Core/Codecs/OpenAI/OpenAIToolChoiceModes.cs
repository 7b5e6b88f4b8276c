using Spillway.Core.Chat;

namespace Spillway.Core.Codecs.OpenAI;

/// <summary>The string form of OpenAI's <c>tool_choice</c> (Chat Completions and Responses alike).</summary>
public static class OpenAIToolChoiceModes
{
    /// <summary>Reads <c>none</c>, <c>auto</c> or <c>required</c>; anything else is a 400 naming the field.</summary>
    public static ChatError? Read(string? mode, out ChatToolChoice? choice)
    {
        choice = mode switch
        {
            "auto" => new ChatToolChoice(ToolChoiceMode.Auto),
            "none" => new ChatToolChoice(ToolChoiceMode.None),
            "required" => new ChatToolChoice(ToolChoiceMode.Required),
            _ => null,
        };
        return choice is null
            ? ChatError.InvalidRequest("tool_choice: expected none, auto, required or a function.", "tool_choice")
            : null;
    }

    /// <summary>The string of a mode that names no function: <c>none</c>, <c>required</c> or <c>auto</c>.</summary>
    public static string Name(ToolChoiceMode mode) => mode switch
    {
        ToolChoiceMode.None => "none",
        ToolChoiceMode.Required => "required",
        _ => "auto",
    };
}
