using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Tern.Lwm2m.Formats.Cbor;

/// <summary>
/// A forward-only reader of one CBOR data item (RFC 8949) from a span. It never throws on input:
/// every <c>TryRead…</c> method returns false and leaves the reason in <see cref="Error"/>; after the
/// first error the reader stays failed. Arrays and maps nest at most <see cref="MaxDepth"/> deep. Every
/// length and count is checked against the bytes left before anything is allocated, so a header that
/// claims 2^60 elements fails with <see cref="CborErrorKind.TooLarge"/> and allocates nothing.
/// </summary>
/// <remarks>
/// Strings of indefinite length are read whole: their chunks (each a definite string of the same major
/// type; text chunks each valid UTF-8) are copied into one new array sized by the bytes actually present.
/// Definite strings are returned as slices of the input without copying. Negative integers below
/// <see cref="long.MinValue"/> fail <see cref="TryReadInt64"/> with <see cref="CborErrorKind.Overflow"/>;
/// <see cref="TryReadCborNegativeIntegerRepresentation"/> reads them as the raw 64-bit argument n of -1-n.
/// </remarks>
public ref partial struct CborReader
{
    /// <summary>The nesting depth allowed when none is given.</summary>
    public const int DefaultMaxDepth = 16;

    /// <summary>The deepest nesting a reader can be configured for.</summary>
    public const int MaxSupportedDepth = 64;

    private readonly ReadOnlySpan<byte> _data;
    private readonly int _maxDepth;
    private FrameBuffer _frames;
    private int _pos;
    private int _depth;
    private bool _rootDone;
    private bool _pendingTag;
    private CborError _error;

    /// <summary>Creates a reader over <paramref name="data"/>.</summary>
    /// <param name="data">The encoded data item.</param>
    /// <param name="maxDepth">How deep arrays and maps may nest, 1–64.</param>
    public CborReader(ReadOnlySpan<byte> data, int maxDepth = DefaultMaxDepth)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDepth, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxDepth, MaxSupportedDepth);
        _data = data;
        _maxDepth = maxDepth;
    }

    /// <summary>The first error met, or a default value with <see cref="CborErrorKind.None"/>.</summary>
    public readonly CborError Error => _error;

    /// <summary>True once an error has been met.</summary>
    public readonly bool HasError => _error.Kind != CborErrorKind.None;

    /// <summary>The offset of the next byte to read.</summary>
    public readonly int Offset => _pos;

    /// <summary>The bytes not yet read.</summary>
    public readonly int BytesRemaining => _data.Length - _pos;

    /// <summary>How many arrays and maps are open.</summary>
    public readonly int Depth => _depth;

    /// <summary>The nesting limit.</summary>
    public readonly int MaxDepth => _maxDepth;

    /// <summary>
    /// What the next token is, without consuming it. Returns <see cref="CborReaderState.Invalid"/> (and sets
    /// <see cref="Error"/>) when the next byte is not a valid start of a token here.
    /// </summary>
    public CborReaderState PeekState()
    {
        if (HasError)
        {
            return CborReaderState.Invalid;
        }

        if (!_pendingTag)
        {
            if (_depth == 0)
            {
                if (_rootDone)
                {
                    return CborReaderState.Finished;
                }
            }
            else
            {
                ref Frame frame = ref _frames[_depth - 1];
                if (frame.Remaining == 0)
                {
                    return frame.IsMap ? CborReaderState.EndMap : CborReaderState.EndArray;
                }

                if (frame.Remaining < 0 && _pos < _data.Length && _data[_pos] == 0xFF)
                {
                    if (frame.IsMap && (frame.ItemsRead & 1) == 1)
                    {
                        return Invalid(CborErrorKind.Malformed, _pos, "The map ends after a key, without its value.");
                    }

                    return frame.IsMap ? CborReaderState.EndMap : CborReaderState.EndArray;
                }
            }
        }

        if (_pos >= _data.Length)
        {
            return Invalid(CborErrorKind.Truncated, _pos, _pendingTag ? "The input ends after a tag, before its content." : "The input ends where a data item should start.");
        }

        byte initial = _data[_pos];
        int major = initial >> 5, info = initial & 0x1F;
        if (info is >= 28 and <= 30)
        {
            return Invalid(CborErrorKind.Malformed, _pos, $"Additional information {info} is reserved.");
        }

        if (info == 31 && major is 0 or 1 or 6)
        {
            return Invalid(CborErrorKind.Malformed, _pos, $"Major type {major} cannot have an indefinite length.");
        }

        switch (major)
        {
            case 0: return CborReaderState.UnsignedInteger;
            case 1: return CborReaderState.NegativeInteger;
            case 2: return CborReaderState.ByteString;
            case 3: return CborReaderState.TextString;
            case 4: return CborReaderState.StartArray;
            case 5: return CborReaderState.StartMap;
            case 6: return CborReaderState.Tag;
        }

        switch (info)
        {
            case 20 or 21: return CborReaderState.Boolean;
            case 22: return CborReaderState.Null;
            case 23: return CborReaderState.Undefined;
            case 24:
                if (_pos + 1 >= _data.Length)
                {
                    return Invalid(CborErrorKind.Truncated, _pos, "The input ends inside a simple value.");
                }

                return _data[_pos + 1] < 32
                    ? Invalid(CborErrorKind.Malformed, _pos, "A two-byte simple value must be 32 or more.")
                    : CborReaderState.SimpleValue;
            case 25: return CborReaderState.HalfFloat;
            case 26: return CborReaderState.SingleFloat;
            case 27: return CborReaderState.DoubleFloat;
            case 31:
                return Invalid(CborErrorKind.Malformed, _pos, _pendingTag ? "A break follows a tag." : "A break byte appears outside an indefinite-length container.");
            default: return CborReaderState.SimpleValue;
        }
    }

    /// <summary>Reads the start of an array; <paramref name="length"/> is its count, or -1 when indefinite.</summary>
    public bool TryReadStartArray(out int length) => TryReadStartContainer(CborReaderState.StartArray, isMap: false, out length);

    /// <summary>Reads the start of a map; <paramref name="length"/> is its number of pairs, or -1 when indefinite.</summary>
    public bool TryReadStartMap(out int length) => TryReadStartContainer(CborReaderState.StartMap, isMap: true, out length);

    /// <summary>Reads the end of the current array (consuming the break byte of an indefinite one).</summary>
    public bool TryReadEndArray() => TryReadEndContainer(CborReaderState.EndArray);

    /// <summary>Reads the end of the current map.</summary>
    public bool TryReadEndMap() => TryReadEndContainer(CborReaderState.EndMap);

    /// <summary>Reads a tag number; the tagged data item follows.</summary>
    public bool TryReadTag(out ulong tag)
    {
        tag = 0;
        if (!Expect(CborReaderState.Tag) || !TryReadArgument(out tag, out _))
        {
            return false;
        }

        _pendingTag = true;
        return true;
    }

    /// <summary>Skips the next data item, with everything nested in it and any tags before it.</summary>
    public bool TrySkipValue()
    {
        int startDepth = _depth;
        do
        {
            CborReaderState state = PeekState();
            bool ok = state switch
            {
                CborReaderState.Invalid => false,
                CborReaderState.Finished => Fail(CborErrorKind.UnexpectedType, _pos, "There is no data item left to skip."),
                CborReaderState.EndArray or CborReaderState.EndMap when _depth == startDepth =>
                    Fail(CborErrorKind.UnexpectedType, _pos, "The container ends where a data item was expected."),
                CborReaderState.EndArray => TryReadEndArray(),
                CborReaderState.EndMap => TryReadEndMap(),
                CborReaderState.StartArray => TryReadStartArray(out _),
                CborReaderState.StartMap => TryReadStartMap(out _),
                CborReaderState.Tag => TryReadTag(out _),
                CborReaderState.UnsignedInteger => TryReadUInt64(out _),
                CborReaderState.NegativeInteger => TryReadCborNegativeIntegerRepresentation(out _),
                CborReaderState.ByteString => TryReadStringCore(2, materialize: false, out _),
                CborReaderState.TextString => TryReadStringCore(3, materialize: false, out _),
                CborReaderState.HalfFloat or CborReaderState.SingleFloat or CborReaderState.DoubleFloat => TryReadDouble(out _),
                _ => TryReadSimpleValue(out _),
            };
            if (!ok)
            {
                return false;
            }
        }
        while (_depth > startDepth || _pendingTag);

        return true;
    }

    private bool TryReadStartContainer(CborReaderState expected, bool isMap, out int length)
    {
        length = 0;
        int start = _pos;
        if (!Expect(expected) || !TryReadArgument(out ulong count, out bool indefinite))
        {
            return false;
        }

        if (!indefinite)
        {
            // Every element takes at least one byte, so a count above the bytes left means the input is cut short
            // (or, beyond int range, could never fit): fail before anyone sizes a collection by it.
            if (count > int.MaxValue)
            {
                _pos = start;
                return Fail(CborErrorKind.TooLarge, start, $"The {(isMap ? "map" : "array")} claims {count} elements.");
            }

            if ((isMap ? count * 2 : count) > (ulong)(_data.Length - _pos))
            {
                int left = _data.Length - _pos;
                _pos = start;
                return Fail(CborErrorKind.Truncated, start, $"The {(isMap ? "map" : "array")} claims {count} elements but only {left} bytes follow.");
            }
        }

        if (_depth >= _maxDepth)
        {
            _pos = start;
            return Fail(CborErrorKind.NestingTooDeep, start, $"Arrays and maps nest deeper than {_maxDepth} levels.");
        }

        OnItemStart();
        ulong remainingItems = isMap ? count * 2 : count;
        _frames[_depth++] = new Frame { Remaining = indefinite ? -1 : (long)remainingItems, IsMap = isMap };
        length = indefinite ? -1 : (int)count;
        return true;
    }

    private bool TryReadEndContainer(CborReaderState expected)
    {
        if (!Expect(expected))
        {
            return false;
        }

        if (_frames[_depth - 1].Remaining < 0)
        {
            _pos++;
        }

        _depth--;
        if (_depth == 0)
        {
            _rootDone = true;
        }

        return true;
    }

    private bool Expect(CborReaderState expected)
    {
        CborReaderState state = PeekState();
        if (state == expected)
        {
            return true;
        }

        return state != CborReaderState.Invalid && Fail(CborErrorKind.UnexpectedType, _pos, $"Expected {expected} but found {state}.");
    }

    /// <summary>Reads the header at the current position; on success the position is past it.</summary>
    private bool TryReadArgument(out ulong argument, out bool indefinite)
    {
        argument = 0;
        indefinite = false;
        int info = _data[_pos] & 0x1F;
        if (info < 24)
        {
            argument = (ulong)info;
            _pos++;
            return true;
        }

        if (info == 31)
        {
            indefinite = true;
            _pos++;
            return true;
        }

        int size = 1 << (info - 24);
        if (_data.Length - _pos - 1 < size)
        {
            return Fail(CborErrorKind.Truncated, _pos, $"The input ends inside a {size + 1}-byte header.");
        }

        ReadOnlySpan<byte> bytes = _data.Slice(_pos + 1, size);
        argument = size switch
        {
            1 => bytes[0],
            2 => BinaryPrimitives.ReadUInt16BigEndian(bytes),
            4 => BinaryPrimitives.ReadUInt32BigEndian(bytes),
            _ => BinaryPrimitives.ReadUInt64BigEndian(bytes),
        };
        _pos += 1 + size;
        return true;
    }

    private void OnItemStart()
    {
        _pendingTag = false;
        if (_depth > 0)
        {
            ref Frame frame = ref _frames[_depth - 1];
            if (frame.Remaining > 0)
            {
                frame.Remaining--;
            }

            frame.ItemsRead++;
        }
    }

    private void OnScalarDone()
    {
        if (_depth == 0)
        {
            _rootDone = true;
        }
    }

    private CborReaderState Invalid(CborErrorKind kind, int offset, string message)
    {
        Fail(kind, offset, message);
        return CborReaderState.Invalid;
    }

    private bool Fail(CborErrorKind kind, int offset, string message)
    {
        if (!HasError)
        {
            _error = new CborError(kind, offset, message);
        }

        return false;
    }

    private struct Frame
    {
        public long Remaining;
        public long ItemsRead;
        public bool IsMap;
    }

    [InlineArray(MaxSupportedDepth)]
    private struct FrameBuffer
    {
        private Frame _element;
    }
}
