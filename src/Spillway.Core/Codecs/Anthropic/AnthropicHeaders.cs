namespace Spillway.Core.Codecs.Anthropic;

/// <summary>Names of the Anthropic extensions that are not plain body fields.</summary>
internal static class AnthropicHeaders
{
    /// <summary>The <c>anthropic-version</c> request header: the API version the body is written for.</summary>
    public const string Version = "anthropic-version";

    /// <summary>The <c>anthropic-beta</c> request header: a comma-separated list of beta features.</summary>
    public const string Beta = "anthropic-beta";

    /// <summary>A server tool definition (web search, code execution), kept whole.</summary>
    public const string ServerTool = "server-tool";
}
