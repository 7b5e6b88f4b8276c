using System.Collections.Immutable;
using System.Text.Json;

namespace Spillway.Core.Codecs.OpenAI;

/// <summary>The nested parts of the request that the sniffer looks into.</summary>
public static partial class OpenAIRequestSniffer
{
    private static ChatRequestSniffFailure? ReadMessages(ref Utf8JsonReader reader, ref SniffState state)
    {
        var count = 0;
        while (Next(ref reader) != JsonTokenType.EndArray)
        {
            var index = count++;
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                return new($"messages[{index}] must be an object with a 'role'.", $"messages[{index}]");
            }

            var hasRole = false;
            while (Next(ref reader) != JsonTokenType.EndObject)
            {
                var isContent = reader.ValueTextEquals("content"u8);
                var isRole = reader.ValueTextEquals("role"u8);
                Next(ref reader);
                var failure = isRole ? CheckRole(ref reader, index)
                    : isContent ? CheckContent(ref reader, index)
                    : null;
                hasRole |= isRole;
                failure ??= isContent && reader.TokenType == JsonTokenType.StartArray
                    ? ReadContentParts(ref reader, ref state)
                    : Skip(ref reader);
                if (failure is not null)
                {
                    return failure;
                }
            }

            if (!hasRole)
            {
                return new($"messages[{index}] has no 'role'.", $"messages[{index}].role");
            }
        }

        state.MessageCount = count;
        return null;
    }

    private static ChatRequestSniffFailure? ReadContentParts(ref Utf8JsonReader reader, ref SniffState state)
    {
        while (Next(ref reader) != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                if (Skip(ref reader) is { } tooDeep)
                {
                    return tooDeep;
                }

                continue;
            }

            while (Next(ref reader) != JsonTokenType.EndObject)
            {
                var isType = reader.ValueTextEquals("type"u8);
                if (reader.ValueTextEquals("image_url"u8))
                {
                    state.HasImages = true;
                }

                Next(ref reader);
                if (isType && reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("image_url"u8))
                {
                    state.HasImages = true;
                }

                if (Skip(ref reader) is { } tooDeep)
                {
                    return tooDeep;
                }
            }
        }

        return null;
    }

    private static ChatRequestSniffFailure? ReadStreamOptions(ref Utf8JsonReader reader, ref SniffState state)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return Skip(ref reader);
        }

        state.HasStreamOptions = true;
        while (Next(ref reader) != JsonTokenType.EndObject)
        {
            var isIncludeUsage = reader.ValueTextEquals("include_usage"u8);
            Next(ref reader);
            if (isIncludeUsage && reader.TokenType is JsonTokenType.True or JsonTokenType.False)
            {
                state.IncludeUsage = reader.TokenType == JsonTokenType.True;
            }
            else if (Skip(ref reader) is { } tooDeep)
            {
                return tooDeep;
            }
        }

        return null;
    }

    private static ChatRequestSniffFailure? ReadTools(ref Utf8JsonReader reader, ref SniffState state)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return Skip(ref reader);
        }

        while (Next(ref reader) != JsonTokenType.EndArray)
        {
            state.HasTools = true;
            if (Skip(ref reader) is { } tooDeep)
            {
                return tooDeep;
            }
        }

        return null;
    }

    private static ChatRequestSniffFailure? ReadResponseFormat(ref Utf8JsonReader reader, ref SniffState state)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return Skip(ref reader);
        }

        while (Next(ref reader) != JsonTokenType.EndObject)
        {
            var isType = reader.ValueTextEquals("type"u8);
            Next(ref reader);
            if (isType && reader.TokenType == JsonTokenType.String)
            {
                state.ResponseFormat =
                    reader.ValueTextEquals("json_object"u8) ? ResponseFormatKind.JsonObject
                    : reader.ValueTextEquals("json_schema"u8) ? ResponseFormatKind.JsonSchema
                    : reader.ValueTextEquals("text"u8) ? ResponseFormatKind.Text
                    : ResponseFormatKind.Other;
            }
            else if (Skip(ref reader) is { } tooDeep)
            {
                return tooDeep;
            }
        }

        return null;
    }

    /// <summary>
    /// Steps over the value the reader is on, refusing nesting deeper than <see cref="MaxDepth"/>. Unlike
    /// <see cref="Utf8JsonReader.Skip"/> it sees every container start, so the depth check is ours.
    /// </summary>
    private static ChatRequestSniffFailure? Skip(ref Utf8JsonReader reader)
    {
        if (reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray))
        {
            return null;
        }

        var depth = reader.CurrentDepth;
        if (depth >= MaxDepth)
        {
            return TooDeep;
        }

        while (true)
        {
            switch (Next(ref reader))
            {
                case JsonTokenType.StartObject or JsonTokenType.StartArray when reader.CurrentDepth >= MaxDepth:
                    return TooDeep;
                case JsonTokenType.EndObject or JsonTokenType.EndArray when reader.CurrentDepth == depth:
                    return null;
            }
        }
    }

    /// <summary>What the walk has found so far.</summary>
    private struct SniffState
    {
        public string? Model;
        public ImmutableArray<string>? Models;
        public int? MessageCount;
        public bool Stream;
        public bool HasStreamOptions;
        public bool? IncludeUsage;
        public bool HasTools;
        public bool HasFunctions;
        public bool HasImages;
        public ResponseFormatKind ResponseFormat;
        public long? MaxTokens;
        public long? MaxCompletionTokens;
    }
}
