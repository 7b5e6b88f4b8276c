using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Spillway.Cli;

/// <summary>
/// One call of a running gateway's admin API from the command line: <c>--url</c> (default <c>$SPILLWAY_URL</c>, else
/// the address <c>serve</c> listens on by default), with the admin token from <c>$SPILLWAY_ADMIN_TOKEN</c> when set
/// (an environment variable, never a flag: command lines are visible to every user in <c>ps</c>).
/// </summary>
internal static class AdminCall
{
    public const string DefaultUrl = "http://127.0.0.1:4000";

    public static System.CommandLine.Option<string> UrlOption() => new("--url")
    {
        Description = "The running gateway (default $SPILLWAY_URL, else " + DefaultUrl + "); its admin token from $SPILLWAY_ADMIN_TOKEN.",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("SPILLWAY_URL") is { Length: > 0 } url ? url : DefaultUrl,
    };

    /// <summary>POSTs to <paramref name="path"/>; null when nothing listens at the address.</summary>
    public static async Task<AdminAnswer?> PostAsync(string baseUrl, string path, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(baseUrl.TrimEnd('/') + "/", UriKind.Absolute, out var root) || root.Scheme is not ("http" or "https"))
        {
            throw new InvalidOperationException($"--url '{baseUrl}' is not an http(s) address, e.g. {DefaultUrl}.");
        }

        using var http = new HttpClient { BaseAddress = root, Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(HttpMethod.Post, path.TrimStart('/'));
        if (Environment.GetEnvironmentVariable("SPILLWAY_ADMIN_TOKEN") is { Length: > 0 } token)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }

        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            return new AdminAnswer(response.StatusCode, body);
        }
        catch (HttpRequestException e) when (e.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused })
        {
            return null;
        }
    }
}

/// <summary>What the admin API answered.</summary>
internal sealed record AdminAnswer(HttpStatusCode Status, string Body)
{
    public bool Succeeded => (int)Status is >= 200 and < 300;

    /// <summary>The error's message of an OpenAI-shaped error body, else the status.</summary>
    public string ErrorMessage()
    {
        try
        {
            using var document = JsonDocument.Parse(Body);
            if (document.RootElement.TryGetProperty("error", out var error) &&
                error.TryGetProperty("message", out var message) && message.GetString() is { Length: > 0 } text)
            {
                return text;
            }
        }
        catch (JsonException)
        {
            // Not JSON (a proxy's page): the status says enough.
        }

        return $"the gateway answered {(int)Status} {Status}";
    }

    /// <summary>A number field of the JSON answer, or 0.</summary>
    public long Number(string name)
    {
        using var document = JsonDocument.Parse(Body);
        return document.RootElement.TryGetProperty(name, out var value) && value.TryGetInt64(out var n) ? n : 0;
    }

    /// <summary>A string field of the JSON answer, or null.</summary>
    public string? Text(string name)
    {
        using var document = JsonDocument.Parse(Body);
        return document.RootElement.TryGetProperty(name, out var value) ? value.GetString() : null;
    }
}
