using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Spillway.Core.Chat;
using Spillway.Core.Providers;

namespace Spillway.Core.Catalog;

/// <summary>Reads one <c>GET {base}/models</c>: OpenRouter's public list without a key, a provider's with its first key.</summary>
public sealed class CatalogFetcher(HttpClient http, TimeProvider time)
{
    /// <summary>The longest a list may take to arrive.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>The largest list accepted (OpenRouter's is about 1 MB).</summary>
    public const int MaxBytes = 32 * 1024 * 1024;

    /// <summary>
    /// The client to fetch with: decompressing, and never following a redirect, since a provider's list is read
    /// with its key in a header (<c>x-api-key</c>, <c>x-goog-api-key</c>) that a redirect would carry to another host.
    /// </summary>
    public static HttpClient CreateHttpClient(TimeSpan connectTimeout) => new(new SocketsHttpHandler
    {
        ConnectTimeout = connectTimeout,
        AutomaticDecompression = System.Net.DecompressionMethods.All,
        AllowAutoRedirect = false,
        UseCookies = false,
    });

    /// <summary>Reads the list at <paramref name="baseUrl"/>, authenticated as <paramref name="provider"/> when given.</summary>
    /// <exception cref="CatalogFetchException">The list could not be read.</exception>
    public async Task<ModelCatalog> FetchAsync(Uri baseUrl, ProviderConfig? provider, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        var url = new Uri(baseUrl.AbsoluteUri.TrimEnd('/') + "/models" + (provider?.Format == WireFormat.Gemini ? "?pageSize=1000" : string.Empty));
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (provider is not null)
        {
            Authenticate(request, provider);
        }

        using var timeout = new CancellationTokenSource(Timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        byte[] body;
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
            if (!response.IsSuccessStatusCode)
            {
                throw new CatalogFetchException(string.Create(
                    CultureInfo.InvariantCulture, $"GET {url} answered {(int)response.StatusCode} {response.ReasonPhrase}"));
            }

            body = await ReadAsync(response.Content, url, linked.Token);
        }
        catch (HttpRequestException ex)
        {
            throw new CatalogFetchException($"GET {url} failed: {ex.Message}", ex);
        }
        catch (IOException ex)
        {
            // The body broke off after the headers (an HttpIOException: reset, ended before its length or last chunk).
            throw new CatalogFetchException($"GET {url} broke off while reading the list: {ex.Message}", ex);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CatalogFetchException($"GET {url} took longer than {Timeout.TotalSeconds:0} s", ex);
        }

        try
        {
            return new ModelCatalog(baseUrl, time.GetUtcNow(), ModelListParser.Parse(body));
        }
        catch (JsonException ex)
        {
            throw new CatalogFetchException($"GET {url} did not answer a model list: {ex.Message}", ex);
        }
    }

    private static void Authenticate(HttpRequestMessage request, ProviderConfig provider)
    {
        foreach (var (name, value) in provider.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        if (provider.Keys.IsDefaultOrEmpty)
        {
            return;
        }

        var secret = provider.Keys[0].Value.Reveal();
        switch (provider.Auth)
        {
            case AuthStyle.XApiKey:
                request.Headers.TryAddWithoutValidation("x-api-key", secret);
                break;
            case AuthStyle.XGoogApiKey:
                request.Headers.TryAddWithoutValidation("x-goog-api-key", secret);
                break;
            default:
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secret);
                break;
        }
    }

    private static async Task<byte[]> ReadAsync(HttpContent content, Uri url, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
            {
                throw new CatalogFetchException($"GET {url} answered more than {MaxBytes} bytes");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
