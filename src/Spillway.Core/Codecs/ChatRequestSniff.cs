using System.Collections.Immutable;

namespace Spillway.Core.Codecs;

/// <summary>
/// What routing needs to know of an OpenAI chat request, read in one pass without deserializing it
/// (<see cref="OpenAIRequestSniffer"/>), plus where each top-level property lies for
/// <see cref="OpenAIRequestRewriter"/>. Offsets refer to the body the sniff was taken from.
/// </summary>
public sealed class ChatRequestSniff
{
    internal ChatRequestSniff()
    {
    }

    /// <summary>True when the body is a usable chat request; otherwise <see cref="Failure"/> says why not.</summary>
    public bool IsValid => Failure is null;

    /// <summary>Why the body was refused, or null when it is valid.</summary>
    public ChatRequestSniffFailure? Failure { get; private init; }

    /// <summary>The requested <c>model</c>, or null when only <c>models</c> was given.</summary>
    public string? Model { get; internal init; }

    /// <summary>The OpenRouter-style <c>models</c> chain, in the client's order; empty when absent.</summary>
    public ImmutableArray<string> Models { get; internal init; } = [];

    /// <summary>The request's <c>stream</c> flag (false when absent or null).</summary>
    public bool Stream { get; internal init; }

    /// <summary>True when the body has a <c>stream_options</c> object.</summary>
    public bool HasStreamOptions { get; internal init; }

    /// <summary><c>stream_options.include_usage</c> when it is a boolean; otherwise null.</summary>
    public bool? IncludeUsage { get; internal init; }

    /// <summary>True when <c>tools</c> is a non-empty array.</summary>
    public bool HasTools { get; internal init; }

    /// <summary>True when the deprecated <c>functions</c> field is present and not null.</summary>
    public bool HasFunctions { get; internal init; }

    /// <summary>True when the request offers tools of either kind.</summary>
    public bool UsesTools => HasTools || HasFunctions;

    /// <summary>True when any message content part is an image (<c>image_url</c>).</summary>
    public bool HasImages { get; internal init; }

    /// <summary>What <c>response_format.type</c> asks for.</summary>
    public ResponseFormatKind ResponseFormat { get; internal init; }

    /// <summary>True for JSON mode or structured output (<c>json_object</c> or <c>json_schema</c>).</summary>
    public bool IsJsonMode => ResponseFormat is ResponseFormatKind.JsonObject or ResponseFormatKind.JsonSchema;

    /// <summary>The deprecated <c>max_tokens</c> when it is an integer.</summary>
    public long? MaxTokens { get; internal init; }

    /// <summary><c>max_completion_tokens</c> when it is an integer.</summary>
    public long? MaxCompletionTokens { get; internal init; }

    /// <summary>The output cap the client asked for, preferring <c>max_completion_tokens</c>.</summary>
    public long? OutputTokenLimit => MaxCompletionTokens ?? MaxTokens;

    /// <summary>Every top-level property, in body order (duplicates included).</summary>
    public ImmutableArray<TopLevelProperty> Properties { get; internal init; } = [];

    /// <summary>The length of the sniffed body, to catch a rewrite against a different buffer.</summary>
    internal int BodyLength { get; init; }

    internal static ChatRequestSniff Fail(string message, string? param) =>
        new() { Failure = new ChatRequestSniffFailure(message, param) };
}
