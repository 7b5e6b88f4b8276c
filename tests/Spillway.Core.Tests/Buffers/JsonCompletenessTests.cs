using System.Text;
using Spillway.Core.Buffers;

namespace Spillway.Core.Tests.Buffers;

public sealed class JsonCompletenessTests
{
    [Theory]
    [InlineData("{\"a\":1}", true)]
    [InlineData("  {\"a\":[1,2,{\"b\":null}]}\n", true)]
    [InlineData("[]", true)]
    [InlineData("{\"a\":1", false)]
    [InlineData("{\"a\":\"unterminated", false)]
    [InlineData("{\"a\":1}{\"b\":2}", false)]
    [InlineData("{\"a\":1} trailing", false)]
    [InlineData("", false)]
    [InlineData("   ", false)]
    public void IsComplete_Body_ReportsWhetherItIsOneWholeValue(string body, bool expected) =>
        Assert.Equal(expected, JsonCompleteness.IsComplete(Encoding.UTF8.GetBytes(body)));

    [Theory]
    [InlineData("{\"a\":1}", true)]
    [InlineData(" {} ", true)]
    [InlineData("[]", false)]
    [InlineData("\"text\"", false)]
    [InlineData("{\"a\":1", false)]
    [InlineData("{}{}", false)]
    [InlineData("", false)]
    public void IsObject_Text_ReportsWhetherItIsOneWholeObject(string text, bool expected) =>
        Assert.Equal(expected, JsonCompleteness.IsObject(text));
}
