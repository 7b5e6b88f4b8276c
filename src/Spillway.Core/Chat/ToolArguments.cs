using Spillway.Core.Buffers;

namespace Spillway.Core.Chat;

/// <summary>Checks a tool call's raw arguments before a format that needs an object (not a string) gets them.</summary>
internal static class ToolArguments
{
    /// <summary>
    /// True when <paramref name="json"/> is one JSON object, or blank (no arguments: <paramref name="empty"/> is
    /// then true and the caller writes <c>{}</c>).
    /// </summary>
    public static bool IsObject(string json, out bool empty)
    {
        empty = string.IsNullOrWhiteSpace(json);
        if (empty)
        {
            return true;
        }

        return JsonCompleteness.IsObject(json);
    }
}
