using Spillway.Core.Configuration.Yaml;

namespace Spillway.Core.Tests.Configuration.Yaml;

public sealed class FieldSuggestionTests
{
    [Theory]
    [InlineData("base_ulr", "base_url")]
    [InlineData("baseUrl", "base_url")]
    [InlineData("may-train-on-prompts", "may_train_on_prompts")]
    [InlineData("modles", "models")]
    [InlineData("provider", "providers")]
    public void Closest_LikelyTypo_SuggestsTheField(string input, string expected)
    {
        string[] fields = ["id", "format", "preset", "base_url", "may_train_on_prompts", "keys", "models", "providers"];

        Assert.Equal(expected, FieldSuggestion.Closest(input, fields));
    }

    [Theory]
    [InlineData("colour")]
    [InlineData("rpm")]
    [InlineData("x")]
    public void Closest_UnrelatedName_SuggestsNothing(string input)
    {
        string[] fields = ["id", "format", "preset", "base_url", "tpd"];

        Assert.Null(FieldSuggestion.Closest(input, fields));
    }
}
