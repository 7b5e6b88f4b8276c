using System.Text;
using System.Text.Json;
using Spillway.Core.Catalog;
using Spillway.TestSupport;

namespace Spillway.Core.Tests.Catalog;

public class ModelListParserTests
{
    private static readonly byte[] Fixture = Fixtures.ReadBytes("openrouter-models-api-response-2025-12.json");

    private static CatalogModel Single(string model) =>
        Assert.Single(ModelListParser.Parse(Encoding.UTF8.GetBytes("{\"data\":[" + model + "]}")));

    [Fact]
    public void Parse_OpenRouterFixture_FindsExactlyTheThirtyZeroPricedModels()
    {
        var models = ModelListParser.Parse(Fixture);

        Assert.Equal(335, models.Length);
        var free = models.Where(m => m.Free).ToList();
        Assert.Equal(30, free.Count);
        Assert.All(free, model => Assert.EndsWith(":free", model.Id, StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_OpenRouterFixture_AutoRouterWithMinusOnePricesIsNotFree()
    {
        var auto = Assert.Single(ModelListParser.Parse(Fixture), m => m.Id == "openrouter/auto");

        Assert.False(auto.Free);
    }

    [Fact]
    public void Parse_OpenRouterFixture_ReadsCapabilitiesAndContext()
    {
        var models = ModelListParser.Parse(Fixture);
        var free = models.Where(m => m.Free).ToList();

        Assert.Equal(18, free.Count(m => m.Tools == true));
        Assert.Equal(8, free.Count(m => m.Vision == true));
        Assert.Equal(20, free.Count(m => m.Json == true));
        var small = Assert.Single(models, m => m.Id == "google/gemma-3n-e2b-it:free");
        Assert.Equal(8192, small.ContextLength);
        Assert.False(string.IsNullOrEmpty(small.Name));
    }

    [Theory]
    [InlineData("""{"prompt":"0","completion":"0"}""", true)]
    [InlineData("""{"prompt":"0","completion":"0","request":"0","image":"0"}""", true)]
    [InlineData("""{"prompt":"0.000","completion":"0"}""", true)]
    [InlineData("""{"prompt":0,"completion":0}""", true)]
    [InlineData("""{"prompt":"-1","completion":"-1"}""", false)]
    [InlineData("""{"prompt":"0","completion":"0.0000004"}""", false)]
    [InlineData("""{"prompt":"0","completion":"0","request":"0.005"}""", false)]
    [InlineData("""{"prompt":"0","completion":"0","image":"0.001"}""", false)]
    [InlineData("""{"prompt":"0"}""", false)]
    [InlineData("""{}""", false)]
    public void Parse_Pricing_FreeOnlyWhenEveryNamedPriceIsZero(string pricing, bool free)
    {
        var model = Single("""{"id":"m","pricing":""" + pricing + "}");

        Assert.Equal(free, model.Free);
    }

    [Fact]
    public void Parse_ZeroPricedModelWritingNoText_IsNotFree()
    {
        var model = Single("""{"id":"img","architecture":{"input_modalities":["text"],"output_modalities":["image"]},"pricing":{"prompt":"0","completion":"0"}}""");

        Assert.False(model.Free);
    }

    [Fact]
    public void Parse_NoPricing_IsNotFreeAndCapabilitiesUnknown()
    {
        var model = Single("""{"id":"gpt-4o-mini","object":"model","created":1,"owned_by":"openai"}""");

        Assert.False(model.Free);
        Assert.Null(model.Tools);
        Assert.Null(model.Vision);
        Assert.Null(model.Json);
        Assert.Null(model.ContextLength);
    }

    [Fact]
    public void Parse_OpenAIFixture_ListsEveryId()
    {
        var recorded = Fixtures.ReadText("openai-models-list-200.txt");
        var body = recorded[recorded.IndexOf('{', StringComparison.Ordinal)..];

        var models = ModelListParser.Parse(Encoding.UTF8.GetBytes(body));

        Assert.NotEmpty(models);
        Assert.All(models, model => Assert.False(model.Free));
    }

    [Fact]
    public void Parse_GroqAndMistralContextFields_AreContextLengths()
    {
        var models = ModelListParser.Parse("""{"data":[{"id":"g","context_window":131072},{"id":"m","max_context_length":32768}]}"""u8);

        Assert.Equal([131072, 32768], models.Select(m => m.ContextLength));
    }

    [Fact]
    public void Parse_GeminiList_StripsModelsPrefixAndReadsInputLimit()
    {
        var model = Assert.Single(ModelListParser.Parse("""{"models":[{"name":"models/gemini-2.5-flash","displayName":"Gemini 2.5 Flash","inputTokenLimit":1048576}]}"""u8));

        Assert.Equal("gemini-2.5-flash", model.Id);
        Assert.Equal(1_048_576, model.ContextLength);
    }

    [Theory]
    [InlineData("""{"error":{"message":"nope"}}""")]
    [InlineData("""<html>""")]
    [InlineData("""null""")]
    public void Parse_NotAModelList_Throws(string body)
    {
        Assert.ThrowsAny<JsonException>(() => ModelListParser.Parse(Encoding.UTF8.GetBytes(body)));
    }
}
