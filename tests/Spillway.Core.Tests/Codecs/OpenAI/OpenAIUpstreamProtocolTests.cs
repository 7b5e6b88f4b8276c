using System.Buffers;
using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using Spillway.Core.Chat;
using Spillway.Core.Codecs;
using Spillway.Core.Codecs.OpenAI;
using Spillway.Core.Failures;
using Spillway.Core.Providers;
using Spillway.Core.Providers.RateLimits;
using Spillway.TestSupport;

namespace Spillway.Core.Tests.Codecs.OpenAI;

public class OpenAIUpstreamProtocolTests
{
    private const string Messages = "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";

    private static readonly DateTimeOffset Now = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    private static readonly OpenAIUpstreamProtocol Protocol = new();

    private static ProviderConfig Provider(
        string id, RateLimitScheme scheme = RateLimitScheme.None, ParameterQuirks? quirks = null) => new()
    {
        Id = id,
        Format = WireFormat.OpenAI,
        BaseUrl = new Uri("https://" + id + ".example/v1"),
        RateLimits = new RateLimitRules(scheme),
        Quirks = quirks ?? ParameterQuirks.None,
        UpstreamModels = ImmutableDictionary<string, string>.Empty.Add("free", "openrouter/free"),
    };

    private static RouteStep Step(string model = "llama", ProviderConfig? provider = null) =>
        new(provider ?? Provider("groq"), model, new KeyConfig("k1", new Secret("secret-k1"), KeyTier.Free, KeyLimits.Unknown));

    private static InboundRequest Call(string json)
    {
        var body = Encoding.UTF8.GetBytes(json);
        var sniff = OpenAIRequestSniffer.Sniff(body);
        Assert.True(sniff.IsValid, sniff.Failure?.Message);
        return new InboundRequest
        {
            Client = OpenAIClientFormat.Instance,
            Body = body,
            Sniff = sniff,
            ReceivedAt = Now,
            Stream = sniff.Stream,
            ClientWantsUsage = sniff.IncludeUsage == true,
        };
    }

    private static string Upstream(string json, RouteStep step)
    {
        var output = new ArrayBufferWriter<byte>();
        Protocol.WritePassThroughBody(Call(json), step, output);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    private static UpstreamEvent Inspect(string data) => new OpenAIPassThroughRelay(clientWantsUsage: true).Inspect(null, Encoding.UTF8.GetBytes(data));

    private static string OpenRouterErrorChunk()
    {
        using var document = JsonDocument.Parse(Fixtures.ReadText("openrouter-error-samples.json"));
        var line = document.RootElement.GetProperty("samples").EnumerateArray()
            .Single(s => s.GetProperty("kind").GetString()!.StartsWith("mid-stream error chunk", StringComparison.Ordinal))
            .GetProperty("sse_line").GetString()!;
        Assert.StartsWith("data: ", line, StringComparison.Ordinal);
        return line["data: ".Length..];
    }

    [Fact]
    public void ChatPath_AnyStep_ChatCompletions()
    {
        Assert.Equal("chat/completions", Protocol.ChatPath(Step(), stream: false));
        Assert.Equal(WireFormat.OpenAI, Protocol.Format);
    }

    [Fact]
    public void WriteRequestBody_MappedRouteModel_SendsUpstreamModelWithoutModels()
    {
        var step = Step("free", Provider("openrouter"));

        var body = Upstream("{\"model\":\"cheap\",\"models\":[\"openrouter/free\",\"groq/x\"]," + Messages + "}", step);

        Assert.Equal("{\"model\":\"openrouter/free\"," + Messages + "}", body);
    }

    [Fact]
    public void WriteRequestBody_OnlyModelsList_ModelWrittenFirst()
    {
        var body = Upstream("{" + Messages + ",\"models\":[\"groq/llama\"],\"temperature\":0.2}", Step());

        Assert.Equal("{\"model\":\"llama\"," + Messages + ",\"temperature\":0.2}", body);
    }

    [Fact]
    public void WriteRequestBody_StreamWithoutOptions_IncludeUsageAdded()
    {
        var body = Upstream("{\"model\":\"fast\",\"stream\":true," + Messages + "}", Step());

        Assert.Equal(
            "{\"model\":\"llama\",\"stream\":true," + Messages + ",\"stream_options\":{\"include_usage\":true}}", body);
    }

    [Fact]
    public void WriteRequestBody_StreamWithUsageDeclined_ForcedOnOtherOptionsKept()
    {
        var body = Upstream(
            "{\"model\":\"fast\",\"stream\":true,\"stream_options\":{\"include_obfuscation\":false,\"include_usage\":false},"
            + Messages + "}",
            Step());

        Assert.Equal(
            "{\"model\":\"llama\",\"stream\":true,\"stream_options\":{\"include_obfuscation\":false,\"include_usage\":true},"
            + Messages + "}",
            body);
    }

    [Fact]
    public void WriteRequestBody_NotStreaming_NoStreamOptionsAdded()
    {
        var body = Upstream("{\"model\":\"fast\",\"stream\":false," + Messages + "}", Step());

        Assert.Equal("{\"model\":\"llama\",\"stream\":false," + Messages + "}", body);
    }

    [Fact]
    public void WriteRequestBody_ProviderQuirks_DroppedRenamedAndNoStreamOptions()
    {
        var quirks = new ParameterQuirks
        {
            Drop = ["logprobs"],
            Rename = ImmutableDictionary<string, string>.Empty.Add("seed", "random_seed"),
            AcceptsStreamOptions = false,
        };

        var body = Upstream(
            "{\"model\":\"fast\",\"seed\":7,\"logprobs\":true,\"stream\":true,\"stream_options\":{\"include_usage\":true},"
            + Messages + "}",
            Step("mistral-small", Provider("mistral", quirks: quirks)));

        Assert.Equal("{\"model\":\"mistral-small\",\"random_seed\":7,\"stream\":true," + Messages + "}", body);
    }

    [Fact]
    public void Inspect_Done_OnlyIsDone()
    {
        Assert.Equal(new UpstreamEvent(true, false, false, false, false, false, null), Inspect("[DONE]"));
    }

    [Fact]
    public void Inspect_RoleChunkWithEmptyContent_NothingSet()
    {
        var evt = Inspect("{\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}");

        Assert.Equal(new UpstreamEvent(false, false, false, false, false, false, null), evt);
    }

    [Fact]
    public void Inspect_TextDelta_ContentBearing()
    {
        var evt = Inspect("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"},\"finish_reason\":null}]}");

        Assert.Equal(new UpstreamEvent(false, false, true, false, false, false, null), evt);
    }

    [Fact]
    public void Inspect_FinishChunk_ContentBearingWithFinish()
    {
        var evt = Inspect("{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"length\"}]}");

        Assert.Equal(new UpstreamEvent(false, false, true, false, true, false, null) { FinishReason = "length" }, evt);
    }

    [Fact]
    public void Inspect_UsageChunk_UsageOnlyWithUsage()
    {
        var evt = Inspect(
            "{\"choices\":[],\"usage\":{\"prompt_tokens\":79,\"completion_tokens\":14,\"total_tokens\":93,"
            + "\"prompt_tokens_details\":{\"cached_tokens\":64}}}");

        Assert.Equal(new UpstreamEvent(false, false, false, true, false, false, new TokenUsage(79, 14, 64)), evt);
    }

    [Fact]
    public void Inspect_OpenRouterErrorChunk_ErrorNotContentButFinish()
    {
        var evt = Inspect(OpenRouterErrorChunk());

        Assert.Equal(new UpstreamEvent(false, true, false, false, true, false, null) { FinishReason = "error" }, evt);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("{\"choices\":[")]
    public void Inspect_Malformed_OnlyIsMalformed(string data)
    {
        Assert.Equal(new UpstreamEvent(false, false, false, false, false, true, null), Inspect(data));
    }

    [Fact]
    public void ClassifyStreamError_OpenRouterChunkWith429_RateLimited()
    {
        var step = Step("openai/gpt-4o", Provider("openrouter", RateLimitScheme.OpenRouter));

        var failure = Protocol.ClassifyStreamError(step, Encoding.UTF8.GetBytes(OpenRouterErrorChunk()), Now);

        Assert.Equal(FailureClass.RateLimited, failure.Class);
        Assert.Equal(Now.AddSeconds(60), failure.RetryAt);
        Assert.Equal(CooldownScope.Key, failure.Scope);
        Assert.Equal("openrouter: rate limited - Rate limit exceeded", failure.Reason);
    }

    [Fact]
    public void ClassifyStreamError_NoStatusInChunk_ServerError502()
    {
        var data = "{\"id\":\"gen-1\",\"error\":{\"message\":\"Provider disconnected\"},\"choices\":[]}"u8;

        var failure = Protocol.ClassifyStreamError(Step(), data, Now);

        Assert.Equal(FailureClass.ServerError, failure.Class);
        Assert.Equal("groq: server error (502) - Provider disconnected", failure.Reason);
        Assert.Null(failure.RetryAt);
    }

    [Fact]
    public void ClassifyStreamError_CodeOutsideErrorRange_ServerError502()
    {
        var data = "{\"error\":{\"code\":200,\"message\":\"odd\"}}"u8;

        var failure = Protocol.ClassifyStreamError(Step(), data, Now);

        Assert.Equal(FailureClass.ServerError, failure.Class);
        Assert.Equal("groq: server error (502) - odd", failure.Reason);
    }

    [Fact]
    public void ClassifyStreamError_OpenAIRateLimitCodeWithoutStatus_RateLimitedAtStatedWait()
    {
        var data = Encoding.UTF8.GetBytes(
            "{\"error\":{\"message\":\"Rate limit reached for gpt-4o on tokens per min (TPM). Please try again in 3s.\","
            + "\"type\":\"tokens\",\"param\":null,\"code\":\"rate_limit_exceeded\"}}");
        var step = Step("gpt-4o", Provider("openai", RateLimitScheme.OpenAI));

        var failure = Protocol.ClassifyStreamError(step, data, Now);

        Assert.Equal(FailureClass.RateLimited, failure.Class);
        Assert.Equal(Now.AddSeconds(3), failure.RetryAt);
    }

    [Fact]
    public void ClassifyStreamError_OpenAIInsufficientQuotaWithoutStatus_QuotaExhausted()
    {
        var data = "{\"error\":{\"message\":\"You exceeded your current quota.\",\"type\":\"insufficient_quota\",\"code\":\"insufficient_quota\"}}"u8;
        var step = Step("gpt-4o", Provider("openai", RateLimitScheme.OpenAI));

        var failure = Protocol.ClassifyStreamError(step, data, Now);

        Assert.Equal(FailureClass.QuotaExhausted, failure.Class);
        Assert.Equal(CooldownScope.Key, failure.Scope);
    }
}
