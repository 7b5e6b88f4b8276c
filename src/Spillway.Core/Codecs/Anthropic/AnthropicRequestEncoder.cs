using System.Buffers;
using System.Text.Json;
using Spillway.Core.Chat;

namespace Spillway.Core.Codecs.Anthropic;

/// <summary>
/// Writes a <see cref="ChatRequest"/> as an Anthropic Messages request body (and its <c>anthropic-beta</c> header).
/// Hints of other formats are dropped and reported; content or settings Anthropic cannot carry are refused.
/// </summary>
public static class AnthropicRequestEncoder
{
    /// <summary>Encodes <paramref name="request"/>.</summary>
    /// <param name="request">The canonical request; its model is written as given.</param>
    /// <param name="defaultMaxTokens">
    /// The <c>max_tokens</c> to send when the request has no limit: Anthropic requires one, other formats do not.
    /// </param>
    public static ChatResult<EncodedPayload> Encode(ChatRequest request, int defaultMaxTokens)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(defaultMaxTokens);
        if (request.ResponseFormat?.Type == ResponseFormatType.JsonObject)
        {
            return ChatError.InvalidRequest(
                "response_format json_object has no Anthropic equivalent; use json_schema with a schema.", "response_format");
        }

        var dropped = new DroppedHints();
        var output = new ArrayBufferWriter<byte>(1024);
        ChatError? error;
        using (var writer = ChatJsonWriter.Create(output))
        {
            error = WriteBody(writer, request, defaultMaxTokens, dropped);
        }

        if (error is not null)
        {
            return error;
        }

        var headers = request.Extensions.Find(WireFormat.Anthropic, AnthropicHeaders.Beta) is { } beta
            ? new[] { KeyValuePair.Create(AnthropicHeaders.Beta, JsonSerializer.Deserialize(beta.Utf8.Span, ChatJsonContext.Default.String) ?? "") }
            : [];
        return new EncodedPayload(output.WrittenSpan.ToArray(), dropped.Names) { Headers = headers };
    }

    private static ChatError? WriteBody(Utf8JsonWriter writer, ChatRequest request, int defaultMaxTokens, DroppedHints dropped)
    {
        writer.WriteStartObject();
        writer.WriteString("model"u8, request.Model);
        writer.WriteNumber("max_tokens"u8, request.MaxOutputTokens ?? defaultMaxTokens);
        var error = WriteSystem(writer, request.System, dropped)
            ?? AnthropicMessagesEncoder.Write(writer, request.Messages, dropped)
            ?? WriteTools(writer, request, dropped);
        if (error is not null)
        {
            return error;
        }

        WriteToolChoice(writer, request);
        if (request.StopSequences.Count > 0)
        {
            writer.WriteStartArray("stop_sequences"u8);
            foreach (var stop in request.StopSequences)
            {
                writer.WriteStringValue(stop);
            }

            writer.WriteEndArray();
        }

        WriteNumber(writer, "temperature"u8, request.Temperature);
        WriteNumber(writer, "top_p"u8, request.TopP);
        if (request.TopK is { } topK)
        {
            writer.WriteNumber("top_k"u8, topK);
        }

        if (request.Seed is not null)
        {
            dropped.Add("seed");
        }

        if (request.Stream)
        {
            writer.WriteBoolean("stream"u8, true);
        }

        WriteThinking(writer, request);
        WriteNested(writer, "metadata", request.Extensions, request.UserId is null ? null : w => w.WriteString("user_id"u8, request.UserId));
        WriteOutputConfig(writer, request.ResponseFormat, request.Extensions, dropped);
        AnthropicExtensionFields.WriteOwn(writer, request.Extensions);
        writer.WriteEndObject();
        return dropped.DropForeign(request.Extensions, WireFormat.Anthropic, "");
    }

    private static ChatError? WriteSystem(Utf8JsonWriter writer, IReadOnlyList<TextPart> system, DroppedHints dropped)
    {
        if (system.Count == 0)
        {
            return null;
        }

        writer.WritePropertyName("system"u8);
        return AnthropicContentEncoder.WriteContent(writer, system, "system", dropped);
    }

    private static ChatError? WriteTools(Utf8JsonWriter writer, ChatRequest request, DroppedHints dropped)
    {
        var serverTools = request.Extensions.Of(WireFormat.Anthropic).Where(x => x.Name == AnthropicHeaders.ServerTool).ToList();
        if (request.Tools.Count == 0 && serverTools.Count == 0)
        {
            return null;
        }

        writer.WriteStartArray("tools"u8);
        for (var i = 0; i < request.Tools.Count; i++)
        {
            var tool = request.Tools[i];
            writer.WriteStartObject();
            writer.WriteString("name"u8, tool.Name);
            if (tool.Description is not null)
            {
                writer.WriteString("description"u8, tool.Description);
            }

            writer.WritePropertyName("input_schema"u8);
            if (tool.InputSchema.IsEmpty)
            {
                // Anthropic requires a schema; a tool without one takes an object of anything.
                writer.WriteRawValue("{\"type\":\"object\"}"u8, skipInputValidation: true);
            }
            else
            {
                tool.InputSchema.WriteTo(writer);
            }

            if (tool.Strict is { } strict)
            {
                writer.WriteBoolean("strict"u8, strict);
            }

            var error = AnthropicExtensionFields.Write(writer, tool.Extensions, dropped, $"tools[{i}]");
            writer.WriteEndObject();
            if (error is not null)
            {
                return error;
            }
        }

        foreach (var serverTool in serverTools)
        {
            serverTool.Value.WriteTo(writer);
        }

        writer.WriteEndArray();
        return null;
    }

    private static void WriteToolChoice(Utf8JsonWriter writer, ChatRequest request)
    {
        var choice = request.ToolChoice;
        var disableParallel = request.ParallelToolCalls == false && choice?.Mode != ToolChoiceMode.None;
        if (choice is null && !disableParallel)
        {
            return;
        }

        writer.WriteStartObject("tool_choice"u8);
        writer.WriteString("type"u8, (choice?.Mode ?? ToolChoiceMode.Auto) switch
        {
            ToolChoiceMode.Required => "any",
            ToolChoiceMode.Named => "tool",
            ToolChoiceMode.None => "none",
            _ => "auto",
        });
        if (choice is { Mode: ToolChoiceMode.Named, Name: { } name })
        {
            writer.WriteString("name"u8, name);
        }

        if (request.ParallelToolCalls is { } parallel && choice?.Mode != ToolChoiceMode.None)
        {
            writer.WriteBoolean("disable_parallel_tool_use"u8, !parallel);
        }

        writer.WriteEndObject();
    }

    private static void WriteThinking(Utf8JsonWriter writer, ChatRequest request)
    {
        if (request.Thinking is not { } thinking)
        {
            return;
        }

        writer.WriteStartObject("thinking"u8);
        switch (thinking.Mode)
        {
            case ThinkingMode.Enabled:
                writer.WriteString("type"u8, "enabled"u8);
                writer.WriteNumber("budget_tokens"u8, thinking.BudgetTokens ?? 1024);
                break;
            case ThinkingMode.Adaptive:
                writer.WriteString("type"u8, "adaptive"u8);
                break;
            default:
                writer.WriteString("type"u8, "disabled"u8);
                break;
        }

        AnthropicExtensionFields.WriteOwn(writer, request.Extensions, "thinking.");
        writer.WriteEndObject();
    }

    private static void WriteOutputConfig(
        Utf8JsonWriter writer, ChatResponseFormat? format, ChatExtensions extensions, DroppedHints dropped)
    {
        var schema = format is { Type: ResponseFormatType.JsonSchema } ? format : null;
        if (schema is not null && (schema.Name is not null || schema.Strict is not null))
        {
            // Anthropic's format takes the schema alone; the name and strictness are OpenAI's.
            dropped.Add("response_format.name");
        }

        WriteNested(writer, "output_config", extensions, schema is null ? null : w =>
        {
            w.WriteStartObject("format"u8);
            w.WriteString("type"u8, "json_schema"u8);
            w.WritePropertyName("schema"u8);
            if (schema.Schema.IsEmpty)
            {
                // OpenAI's json_schema may leave out the schema; Anthropic's needs one, and {} allows any JSON.
                w.WriteStartObject();
                w.WriteEndObject();
            }
            else
            {
                schema.Schema.WriteTo(w);
            }

            w.WriteEndObject();
        });
    }

    /// <summary>Writes the object <paramref name="name"/> when it has a canonical member or an own extension under it.</summary>
    private static void WriteNested(Utf8JsonWriter writer, string name, ChatExtensions extensions, Action<Utf8JsonWriter>? canonical)
    {
        var prefix = name + ".";
        if (canonical is null && !extensions.Of(WireFormat.Anthropic).Any(x => x.Name.StartsWith(prefix, StringComparison.Ordinal)))
        {
            return;
        }

        writer.WriteStartObject(name);
        canonical?.Invoke(writer);
        AnthropicExtensionFields.WriteOwn(writer, extensions, prefix);
        writer.WriteEndObject();
    }

    private static void WriteNumber(Utf8JsonWriter writer, ReadOnlySpan<byte> name, double? value)
    {
        if (value is { } number)
        {
            writer.WriteNumber(name, number);
        }
    }
}
