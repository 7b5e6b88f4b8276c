using Spillway.Core.Configuration;

namespace Spillway.Core.Tests.Configuration;

public sealed class ClientKeyHashTests
{
    [Fact]
    public void Of_IsTheLowerCaseHexSha256()
    {
        // echo -n "sk-spill-team-a" | sha256sum
        Assert.Equal(System.Security.Cryptography.SHA256.HashData("sk-spill-team-a"u8).Length * 2, ClientKeyHash.Of("sk-spill-team-a").Length);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("sk-spill-team-a"u8)), ClientKeyHash.Of("sk-spill-team-a"));
        Assert.True(ClientKeyHash.IsHash(ClientKeyHash.Of("x")));
        Assert.False(ClientKeyHash.IsHash("sk-spill-team-a"));
    }

    [Fact]
    public void NewKey_Carries256RandomBitsAndDiffersEachTime()
    {
        var a = ClientKeyHash.NewKey();
        var b = ClientKeyHash.NewKey();

        Assert.StartsWith("sk-spill-", a, StringComparison.Ordinal);
        Assert.Equal("sk-spill-".Length + 43, a.Length);
        Assert.NotEqual(a, b);
        Assert.DoesNotContain('+', a);
        Assert.DoesNotContain('/', a);
    }

    [Fact]
    public void FindClient_ByPresentedKey_NeverByHashOrOtherKey()
    {
        var auth = new AuthConfig { Clients = [new ClientKeyConfig("team", ClientKeyHash.Of("sk-spill-right"))] };

        Assert.Equal("team", auth.FindClient("sk-spill-right")?.Id);
        Assert.Null(auth.FindClient("sk-spill-wrong"));
        Assert.Null(auth.FindClient(ClientKeyHash.Of("sk-spill-right")));
        Assert.Null(auth.FindClient(null));
        Assert.Null(auth.FindClient(string.Empty));
    }
}
