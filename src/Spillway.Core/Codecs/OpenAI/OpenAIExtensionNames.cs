namespace Spillway.Core.Codecs.OpenAI;

/// <summary>Names of the OpenAI extensions that are not plain body fields.</summary>
internal static class OpenAIExtensionNames
{
    /// <summary>A tool that is not a function (custom or built-in), kept whole.</summary>
    public const string CustomTool = "custom-tool";
}
