using Spillway.Core.Providers.RateLimits;

namespace Spillway.Core.Tests.Providers.RateLimits;

public class GoDurationTests
{
    [Theory]
    [InlineData("2m59.56s", 1_795_600_000)]
    [InlineData("172.799999ms", 1_727_999)]
    [InlineData("7.66s", 76_600_000)]
    [InlineData("7.44ms", 74_400)]
    [InlineData("6m0s", 3_600_000_000)]
    [InlineData("1h2m3s", 37_230_000_000)]
    [InlineData("12ms", 120_000)]
    [InlineData("1ms", 10_000)]
    [InlineData("1s", 10_000_000)]
    [InlineData("9m38.016s", 5_780_160_000)]
    [InlineData("1.984999999s", 19_849_999)]
    [InlineData("26s", 260_000_000)]
    [InlineData("47.434392449s", 474_343_924)]
    [InlineData("1.5h", 54_000_000_000)]
    [InlineData("250us", 2_500)]
    [InlineData("250\u00B5s", 2_500)]
    [InlineData("1500ns", 15)]
    [InlineData(".5s", 5_000_000)]
    [InlineData("0", 0)]
    [InlineData(" 3s ", 30_000_000)]
    [InlineData("-1.5s", -15_000_000)]
    public void TryParse_GoAndProtobufDurations_ReturnsExactTicks(string text, long expectedTicks)
    {
        Assert.True(GoDuration.TryParse(text, out var duration));
        Assert.Equal(expectedTicks, duration.Ticks);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("5")]
    [InlineData("1.5")]
    [InlineData("s")]
    [InlineData(".s")]
    [InlineData("3d")]
    [InlineData("1x")]
    [InlineData("18.642s.")]
    [InlineData("(cut in source)")]
    [InlineData("1h-2m")]
    [InlineData("-")]
    [InlineData("99999999999999999999s")]
    [InlineData("9999999999h")]
    public void TryParse_NotADuration_ReturnsFalse(string? text)
    {
        Assert.False(GoDuration.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.Zero, duration);
    }
}
