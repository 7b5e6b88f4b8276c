using Spillway.Hosting;

namespace Spillway.Tests.Hosting;

public sealed class CoreDumpsTests
{
    [Fact]
    public void Prevent_OnLinux_MakesTheProcessNonDumpable()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.False(CoreDumps.Prevent());
            return;
        }

        try
        {
            Assert.True(CoreDumps.Prevent());
            Assert.False(CoreDumps.IsDumpable());
        }
        finally
        {
            // The test host stays dumpable, so a hang dump can still be taken of it.
            CoreDumps.Allow();
        }

        Assert.True(CoreDumps.IsDumpable());
    }
}
