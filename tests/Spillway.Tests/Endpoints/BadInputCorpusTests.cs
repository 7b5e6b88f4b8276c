using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Spillway.Core.Providers;
using Spillway.Simulator;
using Spillway.Tests.Support;
using Xunit.Abstractions;

namespace Spillway.Tests.Endpoints;

/// <summary>
/// Runs every case of <see cref="BadInputCorpus"/> against one live gateway (OpenAI, Anthropic and Gemini simulators
/// behind it, an admin token set, a 1 MiB body limit): each answer has the expected status and an error in the
/// caller's format with a message and no stack trace, never a 500; and after each case the gateway still serves
/// good requests on both APIs.
/// </summary>
public sealed class BadInputCorpusTests(BadInputCorpusTests.Gateway fixture, ITestOutputHelper output)
    : IClassFixture<BadInputCorpusTests.Gateway>
{
    private static readonly string[] StackTraceMarks = ["   at ", "Exception", ".cs:line", "System.", "Microsoft."];

    public static TheoryData<string> Names() => BadInputCorpus.Names();

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Corpus_Case_GetsItsStatusInTheCallersFormatAndTheServerStillAnswers(string name)
    {
        var badInput = BadInputCorpus.Cases[name];
        var gateway = fixture.Started;
        var callsBefore = UpstreamCalls(gateway);

        var response = await RawHttp.SendAsync(gateway.Address, badInput.Request, TimeSpan.FromSeconds(20));

        var (type, code) = Describe(response);
        output.WriteLine($"| {name} | {response.Status} | {type} | {code} |");
        Assert.NotEqual(500, response.Status);
        Assert.Equal(badInput.Status, response.Status);
        foreach (var mark in StackTraceMarks)
        {
            Assert.DoesNotContain(mark, response.Text, StringComparison.Ordinal);
        }

        switch (badInput.Shape)
        {
            case ErrorShape.OpenAI:
                AssertOpenAIError(response, badInput);
                break;
            case ErrorShape.Anthropic:
                AssertAnthropicError(response, badInput);
                break;
            case ErrorShape.Gemini:
                AssertGeminiError(response, badInput);
                break;
        }

        if (badInput.NoUpstreamCall)
        {
            Assert.Equal(callsBefore, UpstreamCalls(gateway));
        }

        badInput.Upstream?.Invoke(gateway);
        await AssertStillServesAsync(gateway);
    }

    [Fact]
    public async Task Ledger_RefusedRequests_AreRecordedWithTheirStatus()
    {
        var gateway = fixture.Started;
        var probe = "ledger-probe-" + Guid.NewGuid().ToString("N");
        await SendAsync(gateway, BadInputCorpus.Chat, "{\"model\":\"chain\",\"messages\":[]}");
        await SendAsync(gateway, BadInputCorpus.Chat, "{\"model\":\"" + probe + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        await SendAsync(gateway, BadInputCorpus.Messages, "{\"model\":\"chain\",\"max_tokens\":64,\"messages\":[{\"role\":\"user\",\"content\":\"" + new string('a', BadInputCorpus.MaxBodyBytes) + "\"}]}");
        await RawHttp.SendAsync(gateway.Address, RawHttp.Request("POST", BadInputCorpus.Chat, ["Content-Type: text/plain"], Encoding.UTF8.GetBytes(BadInputCorpus.GoodChat)));

        using var request = new HttpRequestMessage(HttpMethod.Get, "/admin/requests?limit=4");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", BadInputCorpus.AdminToken);
        using var response = await gateway.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var ledger = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var entries = ledger.RootElement.EnumerateArray().ToList();
        Assert.Equal([415, 413, 404, 400], entries.Select(e => e.GetProperty("status").GetInt32()));
        Assert.Equal(probe, entries[2].GetProperty("model").GetString());
        Assert.All(entries, e => Assert.Empty(e.GetProperty("attempts").EnumerateArray()));
        await AssertStillServesAsync(gateway);
    }

    private static async Task SendAsync(TestGateway gateway, string path, string body)
    {
        var content = new StringContent(body, Encoding.UTF8, "application/json");
        content.Headers.Add("anthropic-version", "2023-06-01");
        using var response = await gateway.Http.PostAsync(path, content);
        Assert.True((int)response.StatusCode is >= 400 and < 500, $"{path} answered {(int)response.StatusCode}");
    }

    private static void AssertOpenAIError(RawResponse response, BadInputCase badInput)
    {
        using var json = JsonDocument.Parse(response.Body);
        var error = json.RootElement.GetProperty("error");
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        Assert.Equal(JsonValueKind.String, error.GetProperty("type").ValueKind);
        Assert.True(error.TryGetProperty("param", out _));
        Assert.True(error.TryGetProperty("code", out _));
        if (badInput.Type is { } type)
        {
            Assert.Equal(type, error.GetProperty("type").GetString());
        }

        if (badInput.Code is { } code)
        {
            Assert.Equal(code, error.GetProperty("code").GetString());
        }
    }

    private static void AssertAnthropicError(RawResponse response, BadInputCase badInput)
    {
        using var json = JsonDocument.Parse(response.Body);
        Assert.Equal("error", json.RootElement.GetProperty("type").GetString());
        var error = json.RootElement.GetProperty("error");
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        if (badInput.Type is { } type)
        {
            Assert.Equal(type, error.GetProperty("type").GetString());
        }
    }

    private static void AssertGeminiError(RawResponse response, BadInputCase badInput)
    {
        using var json = JsonDocument.Parse(response.Body);
        var error = json.RootElement.GetProperty("error");
        Assert.Equal(response.Status, error.GetProperty("code").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        if (badInput.Type is { } status)
        {
            Assert.Equal(status, error.GetProperty("status").GetString());
        }
    }

    private static async Task AssertStillServesAsync(TestGateway gateway)
    {
        using var chat = await gateway.Http.PostAsync(BadInputCorpus.Chat, new StringContent(BadInputCorpus.GoodChat, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, chat.StatusCode);
        using var messages = await gateway.Http.PostAsync(BadInputCorpus.Messages, TestGateway.MessagesBody("chain"));
        Assert.Equal(HttpStatusCode.OK, messages.StatusCode);
    }

    private static int UpstreamCalls(TestGateway gateway) => gateway.Simulator.Providers.Sum(p => p.CallCount);

    /// <summary>The error type and code of an answer, for the table of observed answers.</summary>
    private static (string Type, string Code) Describe(RawResponse response)
    {
        try
        {
            using var json = JsonDocument.Parse(response.Body);
            if (json.RootElement.ValueKind != JsonValueKind.Object ||
                !json.RootElement.TryGetProperty("error", out var error) || error.ValueKind != JsonValueKind.Object)
            {
                return ("-", "-");
            }

            var type = error.TryGetProperty("type", out var t) ? t.GetString() ?? "-"
                : error.TryGetProperty("status", out var s) ? s.GetString() ?? "-" : "-";
            var code = error.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString()! : "-";
            return (type, code);
        }
        catch (JsonException)
        {
            return (response.Body.Length == 0 ? "(empty body)" : "(not JSON)", "-");
        }
    }

    /// <summary>One gateway for the whole corpus.</summary>
    public sealed class Gateway : IAsyncLifetime
    {
        private TestGateway? _gateway;

        internal TestGateway Started => _gateway ?? throw new InvalidOperationException("The gateway has not started.");

        public async Task InitializeAsync()
        {
            _gateway = await TestGateway.StartAsync(
                [new SimulatedProvider("openai"), new SimulatedProvider("claude", SimulatorStyle.Anthropic), new SimulatedProvider("gemini", SimulatorStyle.GeminiNative)],
                (_, config) => config with
                {
                    Auth = config.Auth with { AdminToken = new Secret(BadInputCorpus.AdminToken) },
                    Providers = [.. config.Providers.Select(p => p.Id switch
                    {
                        "openai" => p with { EmbeddingModels = ["text-embedding-3-small"] },
                        "gemini" => p with { EmbeddingModels = ["gemini-embedding-001"] },
                        _ => p,
                    })],
                    Models = [.. config.Models, new Core.Configuration.ModelAliasConfig(BadInputCorpus.EmbedAlias, Core.Configuration.RoutingStrategy.Ordered, ["gemini/gemini-embedding-001"])],
                },
                host: options => options with { MaxRequestBodyBytes = BadInputCorpus.MaxBodyBytes });
        }

        public async Task DisposeAsync()
        {
            if (_gateway is not null)
            {
                await _gateway.DisposeAsync();
            }
        }
    }
}
