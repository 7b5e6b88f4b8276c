namespace Spillway.Simulator;

/// <summary>The facts the simulator needs from a chat-completions request body.</summary>
/// <param name="Problem">Why the body is rejected (null: valid).</param>
/// <param name="Model">The <c>model</c> string, when there is one.</param>
/// <param name="Stream"><c>stream:true</c>.</param>
/// <param name="IncludeUsage"><c>stream_options.include_usage:true</c>.</param>
/// <param name="PromptTokens">A rough prompt size: UTF-8 bytes of <c>messages</c> / 4.</param>
/// <param name="ToolCall">The tool call to answer with, or null to answer with text.</param>
/// <param name="StructuredOutput">What a JSON answer must fit (<c>response_format</c>, Gemini <c>responseMimeType</c>); null for prose.</param>
/// <param name="MaxOutputTokens">The output cap a text answer is cut to (Anthropic <c>max_tokens</c>, Gemini <c>maxOutputTokens</c>); null for none.</param>
/// <param name="Prefill">The assistant turn the conversation ends with, if any.</param>
internal sealed record ChatRequest(
    ErrorKind? Problem,
    string? Model,
    bool Stream,
    bool IncludeUsage,
    int PromptTokens,
    ToolCallPlan? ToolCall,
    int? MaxOutputTokens = null,
    StructuredOutput? StructuredOutput = null,
    Prefill? Prefill = null);
