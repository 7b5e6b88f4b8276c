using System.Buffers;
using System.Text;

namespace Spillway.Core.Streaming;

/// <summary>Line parsing: splits buffered bytes into lines and lines into event fields.</summary>
public sealed partial class SseReader
{
    /// <summary>Parses buffered lines until an event is complete (true) or more bytes are needed (false).</summary>
    private bool TryParseEvent()
    {
        if (!_bomChecked && !TrySkipByteOrderMark())
        {
            return false;
        }

        while (true)
        {
            var pending = _buffer.AsSpan(_start, _end - _start);
            if (_skipLeadingLf && !pending.IsEmpty)
            {
                _skipLeadingLf = false;
                if (pending[0] == (byte)'\n')
                {
                    _start++;
                    pending = pending[1..];
                }
            }

            // Search only the bytes that arrived since the last look: a long line read in small pieces is scanned
            // once, not from its start after every read (which made time grow with the line's square).
            var lineEnd = pending[_scannedWithoutLineEnd..].IndexOfAny((byte)'\r', (byte)'\n');
            if (lineEnd < 0)
            {
                _scannedWithoutLineEnd = pending.Length;
                return _endOfStream ? FinishAtEndOfStream(pending) : NeedMoreForLine(pending.Length);
            }

            lineEnd += _scannedWithoutLineEnd;
            _scannedWithoutLineEnd = 0;

            var line = pending[..lineEnd];
            var consumed = lineEnd + 1;
            if (pending[lineEnd] == (byte)'\r')
            {
                if (lineEnd + 1 < pending.Length)
                {
                    consumed += pending[lineEnd + 1] == (byte)'\n' ? 1 : 0;
                }
                else
                {
                    _skipLeadingLf = true;
                }
            }

            _start += consumed;
            if (line.IsEmpty)
            {
                if (_eventHasFields)
                {
                    return true;
                }

                continue;
            }

            ProcessLine(line);
        }
    }

    private bool TrySkipByteOrderMark()
    {
        var pending = _buffer.AsSpan(_start, _end - _start);
        if (pending.Length < 3 && !_endOfStream && "\uFEFF"u8.StartsWith(pending))
        {
            return false;
        }

        if (pending.StartsWith("\uFEFF"u8))
        {
            _start += 3;
        }

        _bomChecked = true;
        return true;
    }

    private bool NeedMoreForLine(int pendingLineBytes)
    {
        // Refuse an oversize event before buffering it whole: an upstream must not make us hold unbounded bytes.
        if ((long)_eventBytes + pendingLineBytes > _maxEventBytes)
        {
            throw TooLarge();
        }

        return false;
    }

    private bool FinishAtEndOfStream(ReadOnlySpan<byte> lastLine)
    {
        if (!lastLine.IsEmpty)
        {
            ProcessLine(lastLine);
            _start = _end;
            _scannedWithoutLineEnd = 0;
        }

        if (!_eventHasFields)
        {
            return false;
        }

        EndedMidEvent = true;
        return true;
    }

    private void ProcessLine(ReadOnlySpan<byte> line)
    {
        if (line[0] == (byte)':')
        {
            CommentLinesSkipped++;
            return;
        }

        var colon = line.IndexOf((byte)':');
        var field = colon < 0 ? line : line[..colon];
        var value = colon < 0 ? [] : line[(colon + 1)..];
        if (!value.IsEmpty && value[0] == (byte)' ')
        {
            value = value[1..];
        }

        if (field.SequenceEqual("data"u8))
        {
            CountEventBytes(line.Length);
            AppendData(value);
            _eventHasFields = true;
        }
        else if (field.SequenceEqual("event"u8))
        {
            CountEventBytes(line.Length);
            EventName = NameOf(value);
            _eventHasFields = true;
        }
    }

    private void CountEventBytes(int lineBytes)
    {
        _eventBytes += lineBytes;
        if (_eventBytes > _maxEventBytes)
        {
            throw TooLarge();
        }
    }

    private void AppendData(ReadOnlySpan<byte> value)
    {
        var separator = _dataLines > 0 ? 1 : 0;
        var needed = _dataLength + separator + value.Length;
        if (needed > _data.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, _data.Length * 2));
            _data.AsSpan(0, _dataLength).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_data);
            _data = larger;
        }

        if (separator == 1)
        {
            _data[_dataLength++] = (byte)'\n';
        }

        value.CopyTo(_data.AsSpan(_dataLength));
        _dataLength += value.Length;
        _dataLines++;
    }

    private string? NameOf(ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty)
        {
            return null;
        }

        var common = SseEventNames.Lookup(value);
        if (common is not null)
        {
            return common;
        }

        if (_customName is null || !value.SequenceEqual(_customNameBytes))
        {
            _customNameBytes = value.ToArray();
            _customName = Encoding.UTF8.GetString(value);
        }

        return _customName;
    }
}
