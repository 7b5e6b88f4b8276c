using System.Buffers;
using System.Text.Json;
using Spillway.Core.Chat;

namespace Spillway.Core.Codecs.OpenAI;

/// <summary>
/// Writes a <see cref="ChatRequest"/> as an OpenAI Chat Completions request body. Hints of other formats
/// (<c>cache_control</c>, <c>defer_loading</c>, <c>context_management</c>, thinking, …) are dropped and reported;
/// content an OpenAI-format host cannot read (an Anthropic <c>document</c>) is refused.
/// </summary>
public static class OpenAIChatRequestEncoder
{
    /// <summary>Encodes <paramref name="request"/>.</summary>
    /// <param name="request">The canonical request; its model is written as given.</param>
    /// <param name="useMaxCompletionTokens">
    /// True to send the limit as <c>max_completion_tokens</c> (OpenAI's reasoning models require it), false for
    /// <c>max_tokens</c>, which every OpenAI-compatible host accepts.
    /// </param>
    public static ChatResult<EncodedPayload> Encode(ChatRequest request, bool useMaxCompletionTokens = false)
    {
        ArgumentNullException.ThrowIfNull(request);
        var dropped = new DroppedHints();
        var output = new ArrayBufferWriter<byte>(1024);
        ChatError? error;
        using (var writer = ChatJsonWriter.Create(output))
        {
            error = WriteBody(writer, request, useMaxCompletionTokens, dropped);
        }

        return error is null ? new EncodedPayload(output.WrittenSpan.ToArray(), dropped.Names) : error;
    }

    private static ChatError? WriteBody(Utf8JsonWriter writer, ChatRequest request, bool useMaxCompletionTokens, DroppedHints dropped)
    {
        writer.WriteStartObject();
        writer.WriteString("model"u8, request.Model);
        var error = OpenAIChatMessagesEncoder.Write(writer, request, dropped) ?? WriteTools(writer, request, dropped);
        if (error is not null)
        {
            return error;
        }

        WriteToolChoice(writer, request.ToolChoice);
        if (request.ParallelToolCalls is { } parallel)
        {
            writer.WriteBoolean("parallel_tool_calls"u8, parallel);
        }

        if (request.StopSequences.Count > 0)
        {
            writer.WriteStartArray("stop"u8);
            foreach (var stop in request.StopSequences)
            {
                writer.WriteStringValue(stop);
            }

            writer.WriteEndArray();
        }

        if (request.MaxOutputTokens is { } max)
        {
            writer.WriteNumber(useMaxCompletionTokens ? "max_completion_tokens"u8 : "max_tokens"u8, max);
        }

        if (request.Temperature is { } temperature)
        {
            writer.WriteNumber("temperature"u8, temperature);
        }

        if (request.TopP is { } topP)
        {
            writer.WriteNumber("top_p"u8, topP);
        }

        if (request.TopK is not null)
        {
            // OpenAI rejects top_k as an unknown parameter; it only narrows sampling, so it is left out.
            dropped.Add("top_k");
        }

        if (request.Seed is { } seed)
        {
            writer.WriteNumber("seed"u8, seed);
        }

        if (request.Thinking is not null)
        {
            dropped.Add("thinking");
        }

        WriteResponseFormat(writer, request.ResponseFormat);
        if (request.UserId is { } user)
        {
            writer.WriteString("user"u8, OpenAIUserField.Fit(user));
        }

        if (request.Stream)
        {
            writer.WriteBoolean("stream"u8, true);
            if (request.IncludeUsage || ExtensionFields.HasAny(request.Extensions, WireFormat.OpenAI, "stream_options."))
            {
                writer.WriteStartObject("stream_options"u8);
                if (request.IncludeUsage)
                {
                    writer.WriteBoolean("include_usage"u8, true);
                }

                ExtensionFields.WriteOwn(writer, WireFormat.OpenAI, request.Extensions, "stream_options.");
                writer.WriteEndObject();
            }
        }

        ExtensionFields.WriteOwn(writer, WireFormat.OpenAI, request.Extensions);
        writer.WriteEndObject();
        return dropped.DropForeign(request.Extensions, WireFormat.OpenAI, "");
    }

    private static ChatError? WriteTools(Utf8JsonWriter writer, ChatRequest request, DroppedHints dropped)
    {
        var custom = request.Extensions.Of(WireFormat.OpenAI).Where(x => x.Name == OpenAIExtensionNames.CustomTool).ToList();
        if (request.Tools.Count == 0 && custom.Count == 0)
        {
            return null;
        }

        writer.WriteStartArray("tools"u8);
        for (var i = 0; i < request.Tools.Count; i++)
        {
            var tool = request.Tools[i];
            writer.WriteStartObject();
            writer.WriteString("type"u8, "function"u8);
            writer.WriteStartObject("function"u8);
            writer.WriteString("name"u8, tool.Name);
            if (tool.Description is not null)
            {
                writer.WriteString("description"u8, tool.Description);
            }

            if (!tool.InputSchema.IsEmpty)
            {
                writer.WritePropertyName("parameters"u8);
                tool.InputSchema.WriteTo(writer);
            }

            if (tool.Strict is { } strict)
            {
                writer.WriteBoolean("strict"u8, strict);
            }

            ExtensionFields.WriteOwn(writer, WireFormat.OpenAI, tool.Extensions);
            writer.WriteEndObject();
            writer.WriteEndObject();
            var error = dropped.DropForeign(tool.Extensions, WireFormat.OpenAI, $"tools[{i}]");
            if (error is not null)
            {
                return error;
            }
        }

        foreach (var tool in custom)
        {
            tool.Value.WriteTo(writer);
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
                writer.WriteStartObject("function"u8);
                writer.WriteString("name"u8, name);
                writer.WriteEndObject();
                writer.WriteEndObject();
                return;
            default:
                writer.WriteString("tool_choice"u8, OpenAIToolChoiceModes.Name(choice.Mode));
                return;
        }
    }

    private static void WriteResponseFormat(Utf8JsonWriter writer, ChatResponseFormat? format)
    {
        if (format is null)
        {
            return;
        }

        writer.WriteStartObject("response_format"u8);
        switch (format.Type)
        {
            case ResponseFormatType.JsonObject:
                writer.WriteString("type"u8, "json_object"u8);
                break;
            case ResponseFormatType.JsonSchema:
                writer.WriteString("type"u8, "json_schema"u8);
                writer.WriteStartObject("json_schema"u8);

                // OpenAI requires a name; a schema from a format without names gets a neutral one.
                writer.WriteString("name"u8, format.Name ?? "response");
                if (format.Description is not null)
                {
                    writer.WriteString("description"u8, format.Description);
                }

                if (!format.Schema.IsEmpty)
                {
                    writer.WritePropertyName("schema"u8);
                    format.Schema.WriteTo(writer);
                }

                if (format.Strict is { } strict)
                {
                    writer.WriteBoolean("strict"u8, strict);
                }

                writer.WriteEndObject();
                break;
            default:
                writer.WriteString("type"u8, "text"u8);
                break;
        }

        writer.WriteEndObject();
    }
}
