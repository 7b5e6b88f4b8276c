using System.Text.Json;
using Spillway.Core.Chat;

namespace Spillway.Core.Codecs.Gemini;

/// <summary>
/// Decodes a Gemini <c>GenerateContentRequest</c> body into a canonical request, for a client that speaks Gemini
/// and for round trips. The model and whether to stream come from the path, not the body.
/// </summary>
/// <remarks>
/// Gemini fields with no canonical home are kept as Gemini extensions where they stood (<c>safetySettings</c>,
/// <c>generationConfig.presencePenalty</c>, …), so the Gemini encoder writes them back. Those another format
/// could not drop without changing the answer (<c>cachedContent</c>, built-in tools, several candidates, …) are
/// marked must-honour.
/// </remarks>
public static class GeminiRequestDecoder
{
    /// <summary>Decodes <paramref name="body"/>.</summary>
    /// <param name="body">The JSON body.</param>
    /// <param name="model">The model id from the path (<c>gemini-2.5-flash</c>).</param>
    /// <param name="stream">True for <c>:streamGenerateContent</c>.</param>
    public static ChatResult<ChatRequest> Decode(ReadOnlySpan<byte> body, string model, bool stream)
    {
        ArgumentNullException.ThrowIfNull(model);
        var draft = new GeminiRequestDraft();
        try
        {
            var reader = new Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return ChatError.InvalidRequest("The request body is not a JSON object.");
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString()!;
                reader.Read();
                ReadField(ref reader, body, name, draft);
                if (draft.Error is not null)
                {
                    return draft.Error;
                }
            }
        }
        catch (JsonException)
        {
            return ChatError.InvalidRequest("The request body is not valid JSON.");
        }

        return new ChatRequest
        {
            Model = model,
            System = draft.System,
            Messages = draft.Messages,
            Tools = draft.Tools,
            ToolChoice = draft.ToolChoice,
            StopSequences = draft.StopSequences,
            MaxOutputTokens = draft.MaxOutputTokens,
            Temperature = draft.Temperature,
            TopP = draft.TopP,
            TopK = draft.TopK,
            Seed = draft.Seed,
            ResponseFormat = draft.ResponseFormat,
            Thinking = draft.Thinking,
            Stream = stream,

            // Gemini always reports usage, in the last chunk of a stream.
            IncludeUsage = true,
            Extensions = ChatExtensions.Of(draft.Extensions),
        };
    }

    private static void ReadField(ref Utf8JsonReader reader, ReadOnlySpan<byte> body, string name, GeminiRequestDraft draft)
    {
        switch (name)
        {
            case "contents":
                draft.Error = new GeminiContentDecoder().Read(ref reader, body, draft.Messages);
                break;
            case "systemInstruction":
                draft.Error = ReadSystem(ref reader, body, draft.System);
                break;
            case "tools":
                GeminiToolDecoder.ReadTools(ref reader, body, draft);
                break;
            case "toolConfig":
                GeminiToolDecoder.ReadToolConfig(ref reader, body, draft);
                break;
            case "generationConfig":
                GeminiGenerationConfigDecoder.Read(ref reader, body, draft);
                break;
            case "model":
                // The path names the model; a body copy is redundant.
                reader.Skip();
                break;
            default:
                // A cached context is part of the prompt: leaving it out would answer another question.
                draft.Extensions.Add(new ChatExtension(
                    WireFormat.Gemini, name, GeminiJson.Capture(ref reader, body), MustHonor: name == "cachedContent"));
                break;
        }
    }

    private static ChatError? ReadSystem(ref Utf8JsonReader reader, ReadOnlySpan<byte> body, List<TextPart> system)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return null;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isParts = reader.ValueTextEquals("parts"u8);
            reader.Read();
            if (!isParts)
            {
                // "role" is optional there and means nothing.
                reader.Skip();
                continue;
            }

            foreach (var part in GeminiPartDecoder.ReadParts(ref reader, body))
            {
                if (part.Kind != GeminiPartKind.Text)
                {
                    return ChatError.InvalidRequest(
                        "The systemInstruction holds a part that is not text, which the gateway cannot carry.",
                        "systemInstruction");
                }

                system.Add(new TextPart(part.Text ?? string.Empty));
            }
        }

        return null;
    }
}
