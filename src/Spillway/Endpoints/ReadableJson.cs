using System.Text.Json;

namespace Spillway.Endpoints;

/// <summary>
/// The JSON writer of the admin reads and <c>/healthz</c>: indented when a person is likely reading it — the query
/// says <c>?pretty=1</c> (or <c>true</c>), or the <c>User-Agent</c> is a command-line tool (curl, Wget, HTTPie, xh) —
/// else compact. <c>?pretty=0</c> (or <c>false</c>) keeps it compact for those tools too.
/// </summary>
internal static class ReadableJson
{
    private static readonly string[] CommandLineAgents = ["curl/", "Wget/", "HTTPie/", "xh/"];

    /// <summary>A writer over the response body, indented when <see cref="IsWanted"/>.</summary>
    public static Utf8JsonWriter CreateWriter(HttpContext context) =>
        new(context.Response.Body, new JsonWriterOptions { Indented = IsWanted(context.Request) });

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
