using System.Globalization;
using Spillway.TestSupport;

namespace Spillway.Core.Tests.Providers.RateLimits;

/// <summary>
/// A recorded upstream answer from shared/fixtures (*-200-with-ratelimit-headers.txt): a comment line, an
/// "HTTP status: N" line, "name: value" header lines, a blank line, then the body.
/// </summary>
internal sealed class RecordedResponse
{
    private RecordedResponse(int status, IReadOnlyList<KeyValuePair<string, string>> headers, string body)
    {
        Status = status;
        Headers = headers;
        Body = body;
    }

    public int Status { get; }

    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; }

    public string Body { get; }

    public IReadOnlyDictionary<string, string> HeaderMap =>
        Headers.ToDictionary(h => h.Key, h => h.Value, StringComparer.Ordinal);

    /// <summary>The date the upstream stamped on the answer: the "now" its relative resets count from.</summary>
    public DateTimeOffset Date => DateTimeOffset.ParseExact(
        HeaderMap["date"], "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    public static RecordedResponse Load(string fixture)
    {
        var lines = Fixtures.ReadText(fixture).Split('\n');
        var status = 0;
        var headers = new List<KeyValuePair<string, string>>();
        var i = 0;
        for (; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (line.Length == 0)
            {
                break;
            }

            if (line.StartsWith('#'))
            {
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var name = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            if (name == "HTTP status")
            {
                status = int.Parse(value, CultureInfo.InvariantCulture);
            }
            else
            {
                headers.Add(new(name, value));
            }
        }

        return new RecordedResponse(status, headers, string.Join('\n', lines.Skip(i + 1)));
    }

    /// <summary>The recording as a real response, headers split between the response and its content.</summary>
    public HttpResponseMessage ToHttpResponse()
    {
        var response = new HttpResponseMessage((System.Net.HttpStatusCode)Status)
        {
            Content = new StringContent(Body),
        };
        response.Content.Headers.Clear();
        foreach (var (name, value) in Headers)
        {
            if (!response.Headers.TryAddWithoutValidation(name, value))
            {
                response.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return response;
    }
}
