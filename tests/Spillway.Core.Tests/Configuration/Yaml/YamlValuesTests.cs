using Spillway.Core.Configuration.Yaml;

namespace Spillway.Core.Tests.Configuration.Yaml;

public sealed class YamlValuesTests
{
    [Theory]
    [InlineData("gsk_4fJ2kLm9Qx7RtY3wZa8Bc1Dd")]
    [InlineData("sk-proj-Ab12Cd34Ef56Gh78Ij90KlMn")]
    [InlineData("AIzaSyD-4fJ2kLm9Qx7RtY3wZa8Bc1Dd_x")]
    [InlineData("ghp_0123456789abcdefABCDEF0123456789abcd")]
    public void LooksLikeCredential_ApiKeyShapes_AreRecognised(string value) =>
        Assert.True(YamlValues.LooksLikeCredential(value));

    [Theory]
    [InlineData("llama-3.3-70b-versatile")]
    [InlineData("meta-llama/llama-3.3-70b-instruct:free")]
    [InlineData("qwen-3-235b-a22b-instruct-2507")]
    [InlineData("accounts/fireworks/models/llama-v3p1-8b-instruct")]
    [InlineData("GROQ_API_KEY")]
    [InlineData("idle_stream_seconds")]
    public void LooksLikeCredential_ModelAndFieldNames_AreNot(string value) =>
        Assert.False(YamlValues.LooksLikeCredential(value));
}
