using Spillway.Core.Providers;

namespace Spillway.Core.Tests.Providers;

public sealed class SecretTests
{
    [Fact]
    public void RevealAsBearer_CalledTwice_IsTheBearerValueBuiltOnce()
    {
        var secret = new Secret("sk-abc-0123456789");

        var first = secret.RevealAsBearer();
        var second = secret.RevealAsBearer();

        Assert.Equal("Bearer sk-abc-0123456789", first);
        Assert.Same(first, second);
        Assert.Equal("***6789", secret.ToString());
    }
}
