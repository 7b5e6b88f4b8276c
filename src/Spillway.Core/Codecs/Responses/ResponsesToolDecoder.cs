using System.Text.Json;
using Spillway.Core.Chat;
using Spillway.Core.Codecs.OpenAI;

namespace Spillway.Core.Codecs.Responses;

/// <summary>
/// Reads Responses <c>tools</c> and <c>tool_choice</c>. Function tools are flat (<c>{"type":"function","name",…}</c>).
/// Built-in tools (<c>web_search</c>, <c>file_search</c>, <c>mcp</c>, …) run on OpenAI's side, which no translated
/// upstream can do: they are dropped and reported while the model can still call a function, and refused when the
/// caller insists on a tool that only they could be.
/// </summary>
internal static class ResponsesToolDecoder
{
    private static readonly string[] FunctionKeys = ["type", "name", "description", "parameters", "strict"];

    public static ChatError? Read(JsonElement root, List<ChatTool> tools, List<ChatExtension> dropped, out ChatToolChoice? choice)
    {
        choice = null;
        var builtIns = new List<(string Type, JsonElement Tool)>();
        if (JsonElementReader.TryGet(root, "tools", out var value))
        {
            if (value.ValueKind != JsonValueKind.Array)
            {
                return ChatError.InvalidRequest("tools: expected an array.", "tools");
            }

            var index = 0;
            foreach (var tool in value.EnumerateArray())
            {
                var error = ReadTool(tool, $"tools[{index++}]", tools, builtIns);
                if (error is not null)
                {
                    return error;
                }
            }
        }

        var choiceError = ReadChoice(root, tools, out choice);
        if (choiceError is not null)
        {
            return choiceError;
        }

        if (builtIns.Count > 0 && tools.Count == 0 && choice?.Mode is ToolChoiceMode.Required)
        {
            return ChatError.InvalidRequest(
                $"tool_choice: 'required' needs a function tool, and the built-in tools ({string.Join(", ", builtIns.Select(x => x.Type))}) cannot be run by this gateway.",
                "tool_choice");
        }

        foreach (var (type, tool) in builtIns)
        {
            ResponsesExtensionNames.Drop(dropped, ResponsesExtensionNames.BuiltInToolPrefix + type, tool);
        }

        if (tools.Count == 0 && choice?.Mode is ToolChoiceMode.Auto or ToolChoiceMode.None)
        {
            // Nothing left to choose from: a choice without tools is an error for some upstreams.
            choice = null;
        }

        return null;
    }

    private static ChatError? ReadTool(JsonElement tool, string path, List<ChatTool> tools, List<(string Type, JsonElement Tool)> builtIns)
    {
        var type = JsonElementReader.String(tool, "type");
        if (type is null)
        {
            return ChatError.InvalidRequest($"{path}.type: a tool needs a type.", path + ".type");
        }

        if (type != "function")
        {
            builtIns.Add((type, tool));
            return null;
        }

        if (JsonElementReader.String(tool, "name") is not { } name)
        {
            return JsonElementReader.TryGet(tool, "function", out _)
                ? ChatError.InvalidRequest(
                    $"{path}.name: required; Responses function tools are flat ({{\"type\":\"function\",\"name\":…}}), not nested under 'function'.",
                    path + ".name")
                : ChatError.InvalidRequest($"{path}.name: required.", path + ".name");
        }

        RawJson schema = default;
        if (JsonElementReader.TryGet(tool, "parameters", out var parameters))
        {
            if (parameters.ValueKind != JsonValueKind.Object)
            {
                return ChatError.InvalidRequest($"{path}.parameters: expected a JSON Schema object.", path + ".parameters");
            }

            schema = JsonElementReader.Raw(parameters);
        }

        tools.Add(new ChatTool(name, JsonElementReader.String(tool, "description"), schema)
        {
            Strict = JsonElementReader.Bool(tool, "strict"),
            Extensions = ExtensionFields.Of(WireFormat.OpenAIResponses, tool, FunctionKeys),
        });
        return null;
    }

    private static ChatError? ReadChoice(JsonElement root, List<ChatTool> tools, out ChatToolChoice? choice)
    {
        choice = null;
        if (!JsonElementReader.TryGet(root, "tool_choice", out var value))
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.String)
        {
            return OpenAIToolChoiceModes.Read(value.GetString(), out choice);
        }

        var type = JsonElementReader.String(value, "type");
        if (type != "function")
        {
            return ChatError.InvalidRequest(
                type is null
                    ? "tool_choice: expected none, auto, required or {\"type\":\"function\",\"name\":…}."
                    : $"tool_choice: '{type}' cannot be forced here; only function tools can be chosen, and built-in tools are not run by this gateway.",
                "tool_choice");
        }

        if (JsonElementReader.String(value, "name") is not { } name)
        {
            return ChatError.InvalidRequest("tool_choice.name: required for a function choice.", "tool_choice.name");
        }

        if (!tools.Exists(t => t.Name == name))
        {
            return ChatError.InvalidRequest($"tool_choice.name: no function tool is named '{name}'.", "tool_choice.name");
        }

        choice = new ChatToolChoice(ToolChoiceMode.Named, name);
        return null;
    }
}
