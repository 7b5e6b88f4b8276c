namespace Spillway.Storage.Redis.Tests;

public sealed class FieldCodecTests
{
    [Fact]
    public void Split_JoinedFieldsWithSeparatorsInside_SameFields()
    {
        string[] fields = ["key:1", "", "line\nbreak", "12:34", "ünï"];

        Assert.Equal(fields, FieldCodec.Split(FieldCodec.Join(fields)));
    }

    [Theory]
    [InlineData("x")]
    [InlineData("5:abc")]
    [InlineData(":abc")]
    [InlineData("-1:")]
    [InlineData("3:abc2")]
    public void Split_NotThisFormat_Null(string text) => Assert.Null(FieldCodec.Split(text));

    [Fact]
    public void Split_Empty_NoFields() => Assert.Equal([], FieldCodec.Split(string.Empty)!);
}
