using System.Net;
using System.Text;
using System.Text.Json;
using Spillway.Simulator;
using Spillway.Tests.Support;

namespace Spillway.Tests.Endpoints;

/// <summary>
/// A Responses <c>input_file</c> sent inline reaches each upstream the way that upstream takes a file: Chat
/// Completions' <c>file</c> part, Anthropic's <c>document</c> block, Gemini's <c>inlineData</c>, or as it came to a
/// Responses host; an upstream that cannot read the file's type refuses it in the client's own error shape.
/// </summary>
public sealed class ResponsesFileInputTests
{
    private const string Pdf = "JVBERi0xLjQKJcfsj6IKMSAwIG9iago8PC9UeXBlL0NhdGFsb2c+PgplbmRvYmoKdHJhaWxlcjw8L1Jvb3QgMSAwIFI+PgolJUVPRgo=";

    private static StringContent Body(string mediaType = "application/pdf", string data = Pdf) => new(
        $$"""{"model":"chain","input":[{"role":"user","content":[{"type":"input_text","text":"Summarise the file."},{"type":"input_file","filename":"report.pdf","file_data":"data:{{mediaType}};base64,{{data}}"}]}]}""",
        Encoding.UTF8,
        "application/json");

    [Theory]
    [InlineData(SimulatorStyle.OpenAI, "\"type\":\"file\"", "\"file_data\":\"data:application/pdf;base64,")]
    [InlineData(SimulatorStyle.Anthropic, "\"type\":\"document\"", "\"media_type\":\"application/pdf\"")]
    [InlineData(SimulatorStyle.GeminiNative, "\"inlineData\"", "\"mimeType\":\"application/pdf\"")]
    [InlineData(SimulatorStyle.OpenAIResponses, "\"type\":\"input_file\"", "\"filename\":\"report.pdf\"")]
    public async Task InlinePdf_ReachesEachUpstreamInItsOwnShape(SimulatorStyle style, string shape, string detail)
    {
        await using var gateway = await TestGateway.StartAsync([new SimulatedProvider("up", style) { ReplyText = "A one-page report." }]);

        using var response = await gateway.Http.PostAsync("/v1/responses", Body());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sent = Encoding.UTF8.GetString(gateway["up"].Calls[^1].Body);
        Assert.Contains(shape, sent, StringComparison.Ordinal);
        Assert.Contains(detail, sent, StringComparison.Ordinal);
        Assert.Contains(Pdf, sent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlainTextFileToAnthropic_GoesAsATextDocument()
    {
        await using var gateway = await TestGateway.StartAsync([new SimulatedProvider("up", SimulatorStyle.Anthropic) { ReplyText = "Read." }]);

        using var response = await gateway.Http.PostAsync("/v1/responses", Body("text/plain", Convert.ToBase64String("Line one of the notes."u8)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var sent = JsonDocument.Parse(gateway["up"].Calls[^1].Body);
        var document = sent.RootElement.GetProperty("messages")[0].GetProperty("content")[1];
        Assert.Equal("text", document.GetProperty("source").GetProperty("type").GetString());
        Assert.Equal("Line one of the notes.", document.GetProperty("source").GetProperty("data").GetString());
        Assert.Equal("report.pdf", document.GetProperty("title").GetString());
    }

    [Fact]
    public async Task SpreadsheetToAnthropicOnly_RefusedWithAResponsesShaped400AndNoCall()
    {
        await using var gateway = await TestGateway.StartAsync([new SimulatedProvider("up", SimulatorStyle.Anthropic) { ReplyText = "Read." }]);

        using var response = await gateway.Http.PostAsync("/v1/responses", Body("application/vnd.ms-excel", "AAAA"));
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("PDF and plain-text", error.RootElement.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Empty(gateway["up"].Calls);
    }
}
