using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;

namespace Spillway.Endpoints;

/// <summary>
/// The JSON writer of the admin reads and <c>/healthz</c>: indented when a person is likely reading it — the query
/// says <c>?pretty=1</c> (or <c>true</c>), or the <c>User-Agent</c> is a command-line tool (curl, Wget, HTTPie, xh) —
/// else compact. <c>?pretty=0</c> (or <c>false</c>) keeps it compact for those tools too.
/// </summary>
internal static class ReadableJson
{
    private static readonly string[] CommandLineAgents = ["curl/", "Wget/", "HTTPie/", "xh/"];

    // Text as people write it ("…WXYZ", "Zürich"), not \u2026: the default encoder escapes everything beyond ASCII.
    // HTML-sensitive characters stay escaped.
    private static readonly JavaScriptEncoder Encoder = JavaScriptEncoder.Create(UnicodeRanges.All);

    /// <summary>A writer over the response body, indented when <see cref="IsWanted"/>.</summary>
    public static Utf8JsonWriter CreateWriter(HttpContext context) =>
        new(context.Response.Body, new JsonWriterOptions { Indented = IsWanted(context.Request), Encoder = Encoder });

    /// <summary>True when the answer to <paramref name="request"/> should be indented.</summary>
    public static bool IsWanted(HttpRequest request)
    {
        var pretty = request.Query["pretty"];
        if (pretty.Count > 0)
        {
            return pretty[^1] is "1" || string.Equals(pretty[^1], "true", StringComparison.OrdinalIgnoreCase);
        }

        var agent = request.Headers.UserAgent.ToString();
        return CommandLineAgents.Any(tool => agent.StartsWith(tool, StringComparison.OrdinalIgnoreCase));
    }
}
