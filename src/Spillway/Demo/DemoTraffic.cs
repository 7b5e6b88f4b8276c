using System.Net.Http.Headers;
using System.Text;

namespace Spillway.Demo;

/// <summary>
/// The demo's own first requests, sent through the gateway as any client would, so the dashboard opens with rows:
/// an OpenAI request, an Anthropic one (translated), and a stream that meets the simulated Gemini's per-minute limit
/// and falls back. They spend what real requests would: the user's first request then finds Gemini cooling.
/// </summary>
internal static class DemoTraffic
{
    /// <summary>How many requests <see cref="SendAsync"/> makes.</summary>
    public const int Requests = 3;

    private const string OpenAIBody = """{"model":"free-first","messages":[{"role":"user","content":"Hello from the demo"}]}""";
    private const string AnthropicBody = """{"model":"free-first","max_tokens":64,"messages":[{"role":"user","content":"Hello from the demo"}]}""";
    private const string StreamBody = """{"model":"free-first","stream":true,"messages":[{"role":"user","content":"Hello from the demo"}]}""";

    /// <summary>Sends the requests to the gateway at <paramref name="gateway"/> (an address this machine reaches); a failure is the demo's, never fatal.</summary>
    /// <returns>How many were answered with a success.</returns>
    public static async Task<int> SendAsync(Uri gateway, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = gateway, Timeout = TimeSpan.FromSeconds(30) };
        var served = 0;
        served += await PostAsync(http, "/v1/chat/completions", OpenAIBody, anthropic: false, cancellationToken) ? 1 : 0;
        served += await PostAsync(http, "/v1/messages", AnthropicBody, anthropic: true, cancellationToken) ? 1 : 0;
        served += await PostAsync(http, "/v1/chat/completions", StreamBody, anthropic: false, cancellationToken) ? 1 : 0;
        return served;
    }

    private static async Task<bool> PostAsync(HttpClient http, string path, string body, bool anthropic, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
        if (anthropic)
        {
            request.Headers.Add("anthropic-version", "2023-06-01");
        }

        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            await response.Content.ReadAsByteArrayAsync(cancellationToken);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }
}
