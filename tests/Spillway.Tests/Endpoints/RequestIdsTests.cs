using Microsoft.Extensions.Time.Testing;
using Spillway.Endpoints;

namespace Spillway.Tests.Endpoints;

public sealed class RequestIdsTests
{
    [Fact]
    public void New_AnyTime_IsReqAndThe32HexDigitsOfAVersion7Uuid()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 17, 0, 0, TimeSpan.Zero));

        var id = RequestIds.New(time);

        Assert.Matches("^req_[0-9a-f]{32}$", id);
        var uuid = Guid.ParseExact(id[4..], "N");
        Assert.Equal(7, uuid.Version);
        Assert.Equal(0b10, uuid.Variant >> 2);
        Assert.Equal(time.GetUtcNow().ToUnixTimeMilliseconds(), Convert.ToInt64(id[4..16], 16));
    }

    [Fact]
    public void New_LaterTime_SortsAfter()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 17, 0, 0, TimeSpan.Zero));
        var first = RequestIds.New(time);
        time.Advance(TimeSpan.FromMilliseconds(1));

        var second = RequestIds.New(time);

        Assert.True(string.CompareOrdinal(first, second) < 0);
    }

    [Fact]
    public void New_SameMillisecond_GivesDistinctIds()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 17, 0, 0, TimeSpan.Zero));

        var ids = Enumerable.Range(0, 10_000).Select(_ => RequestIds.New(time)).ToHashSet();

        Assert.Equal(10_000, ids.Count);
    }
}
