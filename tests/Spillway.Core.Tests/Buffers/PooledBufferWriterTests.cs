using System.Buffers;
using Spillway.Core.Buffers;

namespace Spillway.Core.Tests.Buffers;

public class PooledBufferWriterTests
{
    private static byte[] Pattern(int length)
    {
        var bytes = new byte[length];
        for (var i = 0; i < length; i++)
        {
            bytes[i] = (byte)((i * 31) + (i >> 8));
        }

        return bytes;
    }

    [Fact]
    public void Write_ManySmallWritesAcrossGrowth_KeepsEveryByte()
    {
        var expected = Pattern(70_001);
        using var writer = new PooledBufferWriter(256);
        var initial = writer.DangerousGetArray().Length;

        for (var offset = 0; offset < expected.Length; offset += 7)
        {
            writer.Write(expected.AsSpan(offset, Math.Min(7, expected.Length - offset)));
        }

        Assert.Equal(expected.Length, writer.WrittenCount);
        Assert.True(writer.WrittenSpan.SequenceEqual(expected));
        Assert.True(writer.WrittenMemory.Span.SequenceEqual(expected));
        Assert.True(writer.DangerousGetArray().Length > initial);
    }

    [Fact]
    public void Constructor_SmallCapacity_AtLeast256()
    {
        using var writer = new PooledBufferWriter(1);

        Assert.True(writer.DangerousGetArray().Length >= 256);
        Assert.Equal(0, writer.WrittenCount);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(300)]
    [InlineData(5000)]
    public void GetSpan_SizeHintBeyondFreeSpace_AtLeastHintAndBytesKept(int sizeHint)
    {
        using var writer = new PooledBufferWriter(256);
        var head = Pattern(writer.DangerousGetArray().Length);
        writer.Write(head);

        var span = writer.GetSpan(sizeHint);

        Assert.True(span.Length >= sizeHint);
        Assert.True(writer.WrittenSpan.SequenceEqual(head));
    }

    [Fact]
    public void GetSpan_ZeroHintOnFullBuffer_NonEmpty()
    {
        using var writer = new PooledBufferWriter(256);
        writer.Advance(writer.DangerousGetArray().Length);

        Assert.True(writer.GetSpan().Length >= 1);
        Assert.True(writer.GetMemory(0).Length >= 1);
    }

    [Fact]
    public void GetMemory_SizeHint_AtLeastHintStartingAfterWrittenBytes()
    {
        using var writer = new PooledBufferWriter(256);
        writer.Write("abc"u8);

        var memory = writer.GetMemory(10_000);
        "xyz"u8.CopyTo(memory.Span);
        writer.Advance(3);

        Assert.True(memory.Length >= 10_000);
        Assert.Equal("abcxyz"u8.ToArray(), writer.WrittenSpan.ToArray());
    }

    [Fact]
    public void GetSpan_FreeSpaceSuffices_SameArray()
    {
        using var writer = new PooledBufferWriter(1024);
        var array = writer.DangerousGetArray();
        writer.Write(Pattern(100));

        writer.GetSpan(array.Length - 100);

        Assert.Same(array, writer.DangerousGetArray());
    }

    [Fact]
    public void Advance_PastEnd_ThrowsAndCountUnchanged()
    {
        using var writer = new PooledBufferWriter(256);
        writer.Write("abc"u8);
        var free = writer.DangerousGetArray().Length - 3;

        Assert.Throws<InvalidOperationException>(() => writer.Advance(free + 1));
        Assert.Equal(3, writer.WrittenCount);

        writer.Advance(free);
        Assert.Equal(writer.DangerousGetArray().Length, writer.WrittenCount);
    }

    [Fact]
    public void Advance_CountThatOverflowsInt_ThrowsAndCountUnchanged()
    {
        using var writer = new PooledBufferWriter(256);
        writer.Write("abc"u8);

        Assert.Throws<InvalidOperationException>(() => writer.Advance(int.MaxValue));
        Assert.Equal(3, writer.WrittenCount);
        Assert.Equal("abc"u8.ToArray(), writer.WrittenSpan.ToArray());
    }

    [Fact]
    public void Advance_Negative_Throws()
    {
        using var writer = new PooledBufferWriter(256);

        Assert.Throws<ArgumentOutOfRangeException>(() => writer.Advance(-1));
        Assert.Equal(0, writer.WrittenCount);
    }

    [Fact]
    public void Clear_AfterWrites_EmptyAndReusesArray()
    {
        using var writer = new PooledBufferWriter(256);
        writer.Write(Pattern(5000));
        var array = writer.DangerousGetArray();

        writer.Clear();
        writer.Write("new"u8);

        Assert.Same(array, writer.DangerousGetArray());
        Assert.Equal("new"u8.ToArray(), writer.WrittenSpan.ToArray());
    }

    [Fact]
    public void Dispose_ReturnsArrayToSharedPool()
    {
        // A unique size so the rent after the return comes from the same (thread-local) pool slot.
        var writer = new PooledBufferWriter(300_000);
        var array = writer.DangerousGetArray();

        writer.Dispose();
        var rented = ArrayPool<byte>.Shared.Rent(array.Length);
        try
        {
            Assert.Same(array, rented);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    [Fact]
    public void Dispose_Twice_EmptyAndNoSecondReturn()
    {
        var writer = new PooledBufferWriter(256);
        writer.Write("abc"u8);

        writer.Dispose();
        writer.Dispose();

        Assert.Equal(0, writer.WrittenCount);
        Assert.True(writer.WrittenSpan.IsEmpty);
        Assert.True(writer.WrittenMemory.IsEmpty);
        Assert.Empty(writer.DangerousGetArray());
    }

    [Fact]
    public void Dispose_ThenWrite_NeverWritesIntoTheReturnedArray()
    {
        var writer = new PooledBufferWriter(300_000);
        var returned = writer.DangerousGetArray();
        writer.Dispose();

        Assert.Throws<InvalidOperationException>(() => writer.Advance(1));
        writer.Write("late"u8);

        Assert.NotSame(returned, writer.DangerousGetArray());
        Assert.Equal("late"u8.ToArray(), writer.WrittenSpan.ToArray());
        writer.Dispose();
    }
}
