using System.Globalization;
using System.Net;
using Spillway.Simulator;
using Spillway.Tests.Support;

namespace Spillway.Tests.Http;

/// <summary>
/// How an answer is framed on the wire: a whole answer (served, or the final error) goes with its length, so the
/// client has it at the engine's flush rather than once the request's bookkeeping is done; a stream is chunked as it
/// comes.
/// </summary>
public sealed class HttpClientResponseTests
{
    /// <param name="api">chat: an OpenAI client's answer relayed as is; messages: an Anthropic client's, translated
    /// from the OpenAI-format upstream.</param>
    [Theory]
    [InlineData("chat")]
    [InlineData("messages")]
    public async Task WholeAnswer_GoesWithItsLength(string api)
    {
        await using var gateway = await TestGateway.StartAsync([new SimulatedProvider("openai")]);

        using var response = api == "chat" ? await gateway.ChatAsync("openai/gpt-4o-mini") : await gateway.MessagesAsync("openai/gpt-4o-mini");
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEqual(true, response.Headers.TransferEncodingChunked);
        Assert.Equal(body.Length.ToString(CultureInfo.InvariantCulture), SentLength(response));
    }

    [Fact]
    public async Task FinalError_GoesWithItsLength()
    {
        await using var gateway = await TestGateway.StartAsync([new SimulatedProvider("openai")]);
        gateway["openai"].Enqueue(SimulatedFault.RateLimited(TimeSpan.FromMinutes(5)));

        using var response = await gateway.ChatAsync("openai/gpt-4o-mini");
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.NotEqual(true, response.Headers.TransferEncodingChunked);
        Assert.Equal(body.Length.ToString(CultureInfo.InvariantCulture), SentLength(response));
    }

    [Fact]
    public async Task Stream_IsChunkedAsItComes()
    {
        await using var gateway = await TestGateway.StartAsync([new SimulatedProvider("openai")]);

        using var response = await gateway.ChatAsync("openai/gpt-4o-mini", stream: true);
        await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.TransferEncodingChunked);
        Assert.Null(SentLength(response));
    }

    /// <summary>The Content-Length as it came on the wire (the typed getter would compute one for a buffered body).</summary>
    private static string? SentLength(HttpResponseMessage response) =>
        response.Content.Headers.NonValidated.TryGetValues("Content-Length", out var values) ? values.ToString() : null;
}
