using System.Text;
using Spillway.Core.Secrets;

namespace Spillway.Core.Tests.Secrets;

public sealed class SecretSealerTests
{
    private const string Key = "gsk_live_0123456789abcdefghijklmnopqrstuvwxyz";

    [Fact]
    public void Seal_ThenOpen_GivesTheKeyBack()
    {
        using var master = MasterKey.Generate();

        var sealedSecret = SecretSealer.Seal(master, Key, "groq", "groq-1");

        Assert.Equal(Key, SecretSealer.Open(master, sealedSecret, "groq", "groq-1"));
        Assert.Equal(SecretSealer.NonceLength, sealedSecret.Nonce.Length);
        Assert.Equal(SecretSealer.TagLength, sealedSecret.Tag.Length);
        Assert.Equal(Encoding.UTF8.GetByteCount(Key), sealedSecret.Ciphertext.Length);
        Assert.DoesNotContain("gsk_live", Encoding.Latin1.GetString(sealedSecret.Ciphertext), StringComparison.Ordinal);
    }

    [Fact]
    public void Seal_SameKeyTwice_UsesAFreshNonceEachTime()
    {
        using var master = MasterKey.Generate();

        var first = SecretSealer.Seal(master, Key, "groq", "groq-1");
        var second = SecretSealer.Seal(master, Key, "groq", "groq-1");

        Assert.NotEqual(first.Nonce, second.Nonce);
        Assert.NotEqual(first.Ciphertext, second.Ciphertext);
    }

    [Theory]
    [InlineData("nonce")]
    [InlineData("ciphertext")]
    [InlineData("tag")]
    public void Open_FlippedByte_FailsWithAnIntegrityError(string part)
    {
        using var master = MasterKey.Generate();
        var sealedSecret = SecretSealer.Seal(master, Key, "groq", "groq-1");
        var bytes = part switch
        {
            "nonce" => sealedSecret.Nonce,
            "ciphertext" => sealedSecret.Ciphertext,
            _ => sealedSecret.Tag,
        };
        bytes[3] ^= 0x01;

        var error = Assert.Throws<KeyVaultException>(() => SecretSealer.Open(master, sealedSecret, "groq", "groq-1"));

        Assert.Contains("'groq-1' failed its integrity check", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("openai", "groq-1")]
    [InlineData("groq", "groq-2")]
    public void Open_UnderAnotherProviderOrId_Fails(string provider, string id)
    {
        using var master = MasterKey.Generate();
        var sealedSecret = SecretSealer.Seal(master, Key, "groq", "groq-1");

        var error = Assert.Throws<KeyVaultException>(() => SecretSealer.Open(master, sealedSecret, provider, id));

        Assert.Contains("integrity check", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_WithAnotherMasterKey_Fails()
    {
        using var master = MasterKey.Generate();
        using var other = MasterKey.Generate();
        var sealedSecret = SecretSealer.Seal(master, Key, "groq", "groq-1");

        Assert.Throws<KeyVaultException>(() => SecretSealer.Open(other, sealedSecret, "groq", "groq-1"));
    }

    [Fact]
    public void Open_TruncatedTag_FailsWithAnIntegrityErrorNotAnArgumentError()
    {
        using var master = MasterKey.Generate();
        var sealedSecret = SecretSealer.Seal(master, Key, "groq", "groq-1");

        var error = Assert.Throws<KeyVaultException>(() => SecretSealer.Open(master, sealedSecret with { Tag = sealedSecret.Tag[..8] }, "groq", "groq-1"));

        Assert.Contains("integrity check", error.Message, StringComparison.Ordinal);
    }
}
