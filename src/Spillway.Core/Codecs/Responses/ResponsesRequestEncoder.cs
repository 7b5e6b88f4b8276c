using System.Buffers;
using System.Text.Json;
using Spillway.Core.Chat;
using Spillway.Core.Codecs.OpenAI;

namespace Spillway.Core.Codecs.Responses;

/// <summary>
/// Writes a <see cref="ChatRequest"/> as a Responses request, for an upstream that speaks the Responses API
/// (<c>format: openai-responses</c>) and a client that does not: the system prompt as <c>instructions</c>, the
/// conversation as input items (<see cref="ResponsesInputEncoder"/>), function tools flat
/// (<c>{"type":"function","name",…}</c>), <c>text.format</c>, <c>max_output_tokens</c>. It always sends
/// <c>store: false</c>: the gateway keeps what it needs itself, and a translated conversation has no business in the
/// upstream's storage. Hints of other formats are dropped and reported; content it cannot carry is refused.
/// </summary>
internal static class ResponsesRequestEncoder
{
    // Responses fields a client's request may carry that a translated request must not pass on: the gateway
    // decides storage and streaming itself, and stored state is resolved before any upstream is called.
    private static readonly string[] NotPassedOn = ["store", "stream_options", "previous_response_id", "conversation", "background", "prompt"];

    public static ChatResult<EncodedPayload> Encode(ChatRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var dropped = new DroppedHints();
        var output = new ArrayBufferWriter<byte>(1024);
        ChatError? error;
        using (var writer = ChatJsonWriter.Create(output))
        {
            error = WriteBody(writer, request, dropped);
        }

        return error is null ? new EncodedPayload(output.WrittenSpan.ToArray(), dropped.Names) : error;
    }

    private static ChatError? WriteBody(Utf8JsonWriter writer, ChatRequest request, DroppedHints dropped)
    {
        writer.WriteStartObject();
        writer.WriteString("model"u8, request.Model);
        if (request.System.Count > 0)
        {
            writer.WriteString("instructions"u8, string.Join("\n\n", request.System.Select(x => x.Text)));
            foreach (var part in request.System)
            {
                dropped.DropForeign(part.Extensions, WireFormat.OpenAIResponses, "instructions");
            }
        }

        var error = ResponsesInputEncoder.Write(writer, request.Messages, dropped) ?? WriteTools(writer, request, dropped);
        if (error is not null)
        {
            return error;
        }

        WriteToolChoice(writer, request.ToolChoice);
        if (request.ParallelToolCalls is { } parallel)
        {
            writer.WriteBoolean("parallel_tool_calls"u8, parallel);
        }

        if (request.MaxOutputTokens is { } max)
        {
            writer.WriteNumber("max_output_tokens"u8, max);
        }

        if (request.Temperature is { } temperature)
        {
            writer.WriteNumber("temperature"u8, temperature);
        }

        if (request.TopP is { } topP)
        {
            writer.WriteNumber("top_p"u8, topP);
        }

        // The Responses API has no stop sequences, top_k or seed; each only narrows the answer, so it is left out.
        if (request.StopSequences.Count > 0)
        {
            dropped.Add("stop");
        }

        if (request.TopK is not null)
        {
            dropped.Add("top_k");
        }

        if (request.Seed is not null)
        {
            dropped.Add("seed");
        }

        if (request.ResponseFormat is { } format)
        {
            ResponsesTextFormat.Write(writer, format.Type == ResponseFormatType.JsonSchema ? format with { Name = format.Name ?? "response" } : format);
        }

        WriteReasoning(writer, request);
        if (request.UserId is { } user)
        {
            writer.WriteString("user"u8, user);
        }

        writer.WriteBoolean("store"u8, false);
        if (request.Stream)
        {
            writer.WriteBoolean("stream"u8, true);
        }

        // Chat Completions fields the Responses API has under the same name and meaning.
        foreach (var item in request.Extensions.Of(WireFormat.OpenAI))
        {
            if (ResponsesRequestFields.IsSharedWithChat(item.Name))
            {
                writer.WritePropertyName(item.Name);
                item.Value.WriteTo(writer);
            }
        }

        foreach (var item in request.Extensions.Of(WireFormat.OpenAIResponses))
        {
            if (ExtensionFields.TryLocal(item.Name, "", out var name) && !NotPassedOn.Contains(name))
            {
                writer.WritePropertyName(name);
                item.Value.WriteTo(writer);
            }
        }

        writer.WriteEndObject();
        return DropForeign(request.Extensions, dropped);
    }

    /// <summary>Reports what no Responses field carries; a field that must be honored refuses the request.</summary>
    private static ChatError? DropForeign(ChatExtensions extensions, DroppedHints dropped)
    {
        foreach (var item in extensions.Items)
        {
            if (item.Format == WireFormat.OpenAIResponses && IsWritten(item.Name))
            {
                continue;
            }

            if (item.Format == WireFormat.OpenAI && (ResponsesRequestFields.IsSharedWithChat(item.Name) || item.Name == "reasoning_effort"))
            {
                continue;
            }

            if (item.MustHonor)
            {
                return ChatError.InvalidRequest(
                    $"'{item.Name}' ({item.Format}) cannot be expressed in the Responses format of the upstream.", item.Name);
            }

            dropped.Add(item.Name);
        }

        return null;
    }

    /// <summary>True for a Responses field this encoder writes back: a top-level one, or one under <c>reasoning</c>.</summary>
    private static bool IsWritten(string name) =>
        (ExtensionFields.TryLocal(name, "", out var local) && !NotPassedOn.Contains(local))
        || ExtensionFields.TryLocal(name, "reasoning.", out _);

    private static ChatError? WriteTools(Utf8JsonWriter writer, ChatRequest request, DroppedHints dropped)
    {
        if (request.Tools.Count == 0)
        {
            return null;
        }

        writer.WriteStartArray("tools"u8);
        for (var i = 0; i < request.Tools.Count; i++)
        {
            var tool = request.Tools[i];
            writer.WriteStartObject();
            writer.WriteString("type"u8, "function"u8);
            writer.WriteString("name"u8, tool.Name);
            if (tool.Description is not null)
            {
                writer.WriteString("description"u8, tool.Description);
            }

            writer.WritePropertyName("parameters"u8);
            if (tool.InputSchema.IsEmpty)
            {
                // The Responses API requires parameters; a tool without a schema takes an empty object.
                writer.WriteStartObject();
                writer.WriteString("type"u8, "object"u8);
                writer.WriteStartObject("properties"u8);
                writer.WriteEndObject();
                writer.WriteEndObject();
            }
            else
            {
                tool.InputSchema.WriteTo(writer);
            }

            // Responses tools are strict unless told otherwise, which rejects most schemas written for chat.
            writer.WriteBoolean("strict"u8, tool.Strict ?? false);
            writer.WriteEndObject();
            var error = dropped.DropForeign(tool.Extensions, WireFormat.OpenAIResponses, $"tools[{i}]");
            if (error is not null)
            {
                return error;
            }
        }

        writer.WriteEndArray();
        return null;
    }

    private static void WriteToolChoice(Utf8JsonWriter writer, ChatToolChoice? choice)
    {
        switch (choice)
        {
            case null:
                return;
            case { Mode: ToolChoiceMode.Named, Name: { } name }:
                writer.WriteStartObject("tool_choice"u8);
                writer.WriteString("type"u8, "function"u8);
                writer.WriteString("name"u8, name);
                writer.WriteEndObject();
                return;
            default:
                writer.WriteString("tool_choice"u8, OpenAIToolChoiceModes.Name(choice.Mode));
                return;
        }
    }

    /// <summary><c>reasoning.effort</c>: the client's own level where it gave one, <c>none</c> when reasoning is off.</summary>
    private static void WriteReasoning(Utf8JsonWriter writer, ChatRequest request)
    {
        var effort = request.Extensions.Find(WireFormat.OpenAI, "reasoning_effort");
        var hasSummary = ExtensionFields.HasAny(request.Extensions, WireFormat.OpenAIResponses, "reasoning.");
        if (effort is null && !hasSummary && request.Thinking?.Mode != ThinkingMode.Disabled)
        {
            return;
        }

        writer.WriteStartObject("reasoning"u8);
        if (effort is { } level)
        {
            writer.WritePropertyName("effort"u8);
            level.WriteTo(writer);
        }
        else if (request.Thinking?.Mode == ThinkingMode.Disabled)
        {
            writer.WriteString("effort"u8, "none"u8);
        }

        ExtensionFields.WriteOwn(writer, WireFormat.OpenAIResponses, request.Extensions, "reasoning.");
        writer.WriteEndObject();
    }
}
