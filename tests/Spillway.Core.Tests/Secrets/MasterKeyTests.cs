using Spillway.Core.Secrets;

namespace Spillway.Core.Tests.Secrets;

public sealed class MasterKeyTests
{
    [Fact]
    public void TryParse_Base64Of32Bytes_RoundTripsAndKeepsItsId()
    {
        using var generated = MasterKey.Generate();
        var text = generated.ToBase64();

        Assert.True(MasterKey.TryParse("  " + text + "\n", out var parsed));

        using (parsed)
        {
            Assert.Equal(generated.Id, parsed.Id);
            Assert.Equal(text, parsed.ToBase64());
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("correct horse battery staple correct horse battery")]
    [InlineData("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGw==")]
    [InlineData("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f")]
    public void TryParse_AnythingButBase64Of32Bytes_IsRefused(string text)
    {
        Assert.False(MasterKey.TryParse(text, out _));
    }

    [Fact]
    public void Id_TellsKeysApartWithoutShowingThem()
    {
        using var a = MasterKey.Generate();
        using var b = MasterKey.Generate();

        Assert.NotEqual(a.Id, b.Id);
        Assert.Matches("^[0-9a-f]{16}$", a.Id);
        Assert.DoesNotContain(a.ToBase64(), a.ToString(), StringComparison.Ordinal);
        Assert.Equal("master key " + a.Id, a.ToString());
    }
}
