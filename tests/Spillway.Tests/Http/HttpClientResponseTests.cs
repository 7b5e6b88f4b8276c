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
    /// <param name="answer">chat: an OpenAI client's answer relayed as is; messages: an Anthropic client's, translated
    /// from the OpenAI-format upstream; error: the chain's final error (its one key rate limited).</param>
    [Theory]
    [InlineData("chat")]
    [InlineData("messages")]
    [InlineData("error")]
    public async Task WholeAnswer_GoesWithItsLength(string answer)
    {
        await using var gateway = await TestGateway.StartAsync([new SimulatedProvider("openai")]);
        if (answer == "error")
        {
            gateway["openai"].Enqueue(SimulatedFault.RateLimited(TimeSpan.FromMinutes(5)));
        }

        using var response = answer == "messages" ? await gateway.MessagesAsync("openai/gpt-4o-mini") : await gateway.ChatAsync("openai/gpt-4o-mini");
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(answer == "error" ? HttpStatusCode.TooManyRequests : HttpStatusCode.OK, response.StatusCode);
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
