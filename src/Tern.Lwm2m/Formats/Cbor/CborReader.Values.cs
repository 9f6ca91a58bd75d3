using System.Buffers.Binary;
using System.Text;
using System.Text.Unicode;

namespace Tern.Lwm2m.Formats.Cbor;

public ref partial struct CborReader
{
    /// <summary>Reads an unsigned integer (major type 0).</summary>
    public bool TryReadUInt64(out ulong value)
    {
        value = 0;
        if (!Expect(CborReaderState.UnsignedInteger) || !TryReadArgument(out value, out _))
        {
            return false;
        }

        OnItemStart();
        OnScalarDone();
        return true;
    }

    /// <summary>Reads a negative integer (major type 1) as its raw argument n, the value being -1 - n.</summary>
    public bool TryReadCborNegativeIntegerRepresentation(out ulong encoded)
    {
        encoded = 0;
        if (!Expect(CborReaderState.NegativeInteger) || !TryReadArgument(out encoded, out _))
        {
            return false;
        }

        OnItemStart();
        OnScalarDone();
        return true;
    }

    /// <summary>
    /// Reads an integer of either sign that fits a <see cref="long"/>; larger magnitudes fail with
    /// <see cref="CborErrorKind.Overflow"/> and leave the item unread.
    /// </summary>
    public bool TryReadInt64(out long value)
    {
        value = 0;
        CborReaderState state = PeekState();
        if (state is not (CborReaderState.UnsignedInteger or CborReaderState.NegativeInteger))
        {
            return state != CborReaderState.Invalid && Fail(CborErrorKind.UnexpectedType, _pos, $"Expected an integer but found {state}.");
        }

        int start = _pos;
        if (!TryReadArgument(out ulong argument, out _))
        {
            return false;
        }

        if (argument > long.MaxValue)
        {
            _pos = start;
            return Fail(CborErrorKind.Overflow, start, "The integer does not fit a signed 64-bit value.");
        }

        value = state == CborReaderState.UnsignedInteger ? (long)argument : -1 - (long)argument;
        OnItemStart();
        OnScalarDone();
        return true;
    }

    /// <summary>Reads a half, single or double float as a <see cref="double"/> (every one converts exactly).</summary>
    public bool TryReadDouble(out double value)
    {
        value = 0;
        CborReaderState state = PeekState();
        int size = state switch
        {
            CborReaderState.HalfFloat => 2,
            CborReaderState.SingleFloat => 4,
            CborReaderState.DoubleFloat => 8,
            _ => 0,
        };
        if (size == 0)
        {
            return state != CborReaderState.Invalid && Fail(CborErrorKind.UnexpectedType, _pos, $"Expected a float but found {state}.");
        }

        if (_data.Length - _pos - 1 < size)
        {
            return Fail(CborErrorKind.Truncated, _pos, $"The input ends inside a {size}-byte float.");
        }

        ReadOnlySpan<byte> bytes = _data.Slice(_pos + 1, size);
        value = size switch
        {
            2 => (double)BinaryPrimitives.ReadHalfBigEndian(bytes),
            4 => BinaryPrimitives.ReadSingleBigEndian(bytes),
            _ => BinaryPrimitives.ReadDoubleBigEndian(bytes),
        };
        _pos += 1 + size;
        OnItemStart();
        OnScalarDone();
        return true;
    }

    /// <summary>Reads <c>false</c> or <c>true</c>.</summary>
    public bool TryReadBoolean(out bool value)
    {
        value = false;
        if (!Expect(CborReaderState.Boolean))
        {
            return false;
        }

        value = _data[_pos] == 0xF5;
        ConsumeSimple(1);
        return true;
    }

    /// <summary>Reads <c>null</c>.</summary>
    public bool TryReadNull()
    {
        if (!Expect(CborReaderState.Null))
        {
            return false;
        }

        ConsumeSimple(1);
        return true;
    }

    /// <summary>Reads <c>undefined</c>.</summary>
    public bool TryReadUndefined()
    {
        if (!Expect(CborReaderState.Undefined))
        {
            return false;
        }

        ConsumeSimple(1);
        return true;
    }

    /// <summary>Reads any simple value (false, true, null, undefined included) as its number 0–255.</summary>
    public bool TryReadSimpleValue(out byte value)
    {
        value = 0;
        CborReaderState state = PeekState();
        if (state is not (CborReaderState.SimpleValue or CborReaderState.Boolean or CborReaderState.Null or CborReaderState.Undefined))
        {
            return state != CborReaderState.Invalid && Fail(CborErrorKind.UnexpectedType, _pos, $"Expected a simple value but found {state}.");
        }

        int info = _data[_pos] & 0x1F;
        value = info == 24 ? _data[_pos + 1] : (byte)info;
        ConsumeSimple(info == 24 ? 2 : 1);
        return true;
    }

    /// <summary>Reads a byte string into a new array.</summary>
    public bool TryReadByteString(out byte[] value)
    {
        value = [];
        if (!TryReadStringCore(2, materialize: true, out ReadOnlySpan<byte> bytes))
        {
            return false;
        }

        value = bytes.ToArray();
        return true;
    }

    /// <summary>
    /// Reads a byte string as a span: a slice of the input when of definite length, else a new array
    /// holding the concatenated chunks.
    /// </summary>
    public bool TryReadByteStringSpan(out ReadOnlySpan<byte> value) => TryReadStringCore(2, materialize: true, out value);

    /// <summary>Reads a text string as validated UTF-8 bytes (a slice of the input when of definite length).</summary>
    public bool TryReadTextStringUtf8(out ReadOnlySpan<byte> utf8) => TryReadStringCore(3, materialize: true, out utf8);

    /// <summary>Reads a text string.</summary>
    public bool TryReadTextString(out string value)
    {
        value = string.Empty;
        if (!TryReadStringCore(3, materialize: true, out ReadOnlySpan<byte> utf8))
        {
            return false;
        }

        value = Encoding.UTF8.GetString(utf8);
        return true;
    }

    private void ConsumeSimple(int size)
    {
        _pos += size;
        OnItemStart();
        OnScalarDone();
    }

    private bool TryReadStringCore(int major, bool materialize, out ReadOnlySpan<byte> content)
    {
        content = default;
        int start = _pos;
        if (!Expect(major == 2 ? CborReaderState.ByteString : CborReaderState.TextString) || !TryReadArgument(out ulong length, out bool indefinite))
        {
            return false;
        }

        if (!indefinite)
        {
            if (!TryTakeChunk(start, length, major, out content))
            {
                _pos = start;
                return false;
            }

            OnItemStart();
            OnScalarDone();
            return true;
        }

        // First pass: walk the chunks, checking each header, length and (for text) UTF-8; count bytes.
        int total = 0;
        while (true)
        {
            if (_pos >= _data.Length)
            {
                _pos = start;
                return Fail(CborErrorKind.Truncated, _data.Length, "The input ends inside an indefinite-length string.");
            }

            if (_data[_pos] == 0xFF)
            {
                _pos++;
                break;
            }

            int chunkStart = _pos;
            int chunkInfo = _data[_pos] & 0x1F;
            if (_data[_pos] >> 5 != major || chunkInfo is 31 or (>= 28 and <= 30))
            {
                _pos = start;
                return Fail(CborErrorKind.Malformed, chunkStart, "A chunk of an indefinite-length string must be a definite string of the same type.");
            }

            if (!TryReadArgument(out ulong chunkLength, out _) || !TryTakeChunk(chunkStart, chunkLength, major, out ReadOnlySpan<byte> chunk))
            {
                _pos = start;
                return false;
            }

            total += chunk.Length;
        }

        int end = _pos;
        if (materialize)
        {
            // Second pass: copy. The size is bounded by the bytes present, never by a claimed length.
            byte[] joined = new byte[total];
            int written = 0;
            _pos = start + 1;
            while (_data[_pos] != 0xFF)
            {
                TryReadArgument(out ulong chunkLength, out _);
                _data.Slice(_pos, (int)chunkLength).CopyTo(joined.AsSpan(written));
                written += (int)chunkLength;
                _pos += (int)chunkLength;
            }

            content = joined;
        }

        _pos = end;
        OnItemStart();
        OnScalarDone();
        return true;
    }

    private bool TryTakeChunk(int headerStart, ulong length, int major, out ReadOnlySpan<byte> chunk)
    {
        chunk = default;
        if (length > int.MaxValue)
        {
            return Fail(CborErrorKind.TooLarge, headerStart, $"A string claims {length} bytes.");
        }

        if ((ulong)(_data.Length - _pos) < length)
        {
            return Fail(CborErrorKind.Truncated, headerStart, $"A string claims {length} bytes but only {_data.Length - _pos} follow.");
        }

        chunk = _data.Slice(_pos, (int)length);
        if (major == 3 && !Utf8.IsValid(chunk))
        {
            return Fail(CborErrorKind.InvalidUtf8, headerStart, "A text string is not valid UTF-8.");
        }

        _pos += (int)length;
        return true;
    }
}
