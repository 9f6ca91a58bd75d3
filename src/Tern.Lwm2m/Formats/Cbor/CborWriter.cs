using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Tern.Lwm2m.Formats.Cbor;

/// <summary>How a <see cref="CborWriter"/> encodes floating-point numbers.</summary>
/// <remarks>
/// Both modes write integers, lengths, counts and tags in their shortest form (RFC 8949 §4.2.1) and
/// write floats in the shortest of binary16, binary32 and binary64 that holds the value exactly
/// (same bits once widened back to a double; -0.0 stays -0.0 and fits binary16, ±infinity fits binary16).
/// They differ only on NaN.
/// </remarks>
public enum CborFloatMode
{
    /// <summary>
    /// Deterministic encoding (RFC 8949 §4.2.1–4.2.2): every NaN, whatever its sign and payload, is written
    /// as the canonical quiet NaN <c>f9 7e 00</c>, so equal values always give equal bytes.
    /// </summary>
    Deterministic = 0,

    /// <summary>
    /// Compact (preferred serialization, RFC 8949 §4.1): a NaN keeps its sign and payload and is written in
    /// the shortest width that holds them exactly (often binary16 <c>f9 7e 00</c> as well).
    /// </summary>
    Compact,
}

/// <summary>
/// Writes CBOR (RFC 8949) into an <see cref="IBufferWriter{T}"/> with no allocation of its own: text is
/// transcoded from UTF-16 straight into the output. Arrays and maps are written with definite lengths
/// (the indefinite forms exist for tests and streaming); the writer does not check that the caller then
/// writes as many items as announced, nor sort map keys — callers that need deterministic maps write
/// keys in order.
/// </summary>
public ref struct CborWriter
{
    private readonly IBufferWriter<byte> _output;
    private readonly CborFloatMode _floatMode;
    private long _written;

    /// <summary>Creates a writer over <paramref name="output"/>.</summary>
    public CborWriter(IBufferWriter<byte> output, CborFloatMode floatMode = CborFloatMode.Deterministic)
    {
        _output = output ?? throw new ArgumentNullException(nameof(output));
        _floatMode = floatMode;
    }

    /// <summary>How many bytes have been written.</summary>
    public readonly long BytesWritten => _written;

    /// <summary>Writes an unsigned integer (major type 0).</summary>
    public void WriteUInt64(ulong value) => WriteHeader(0, value);

    /// <summary>Writes a signed integer (major type 0 or 1).</summary>
    public void WriteInt64(long value)
    {
        if (value >= 0)
        {
            WriteHeader(0, (ulong)value);
        }
        else
        {
            WriteHeader(1, (ulong)(-1 - value));
        }
    }

    /// <summary>Writes the negative integer -1 - <paramref name="encoded"/> (reaches down to -2^64).</summary>
    public void WriteCborNegativeIntegerRepresentation(ulong encoded) => WriteHeader(1, encoded);

    /// <summary>Writes a byte string.</summary>
    public void WriteByteString(scoped ReadOnlySpan<byte> value)
    {
        WriteHeader(2, (ulong)value.Length);
        WriteRaw(value);
    }

    /// <summary>Writes a text string, transcoding from UTF-16 directly into the output.</summary>
    public void WriteTextString(scoped ReadOnlySpan<char> value)
    {
        int length = Encoding.UTF8.GetByteCount(value);
        WriteHeader(3, (ulong)length);
        Span<byte> span = _output.GetSpan(length);
        int written = Encoding.UTF8.GetBytes(value, span);
        _output.Advance(written);
        _written += written;
    }

    /// <summary>Writes a text string from bytes that are already UTF-8 (not validated).</summary>
    public void WriteTextStringUtf8(scoped ReadOnlySpan<byte> utf8)
    {
        WriteHeader(3, (ulong)utf8.Length);
        WriteRaw(utf8);
    }

    /// <summary>Writes the start of an array of <paramref name="count"/> items.</summary>
    public void WriteStartArray(int count) => WriteHeader(4, (ulong)CheckCount(count));

    /// <summary>Writes the start of a map of <paramref name="pairs"/> key/value pairs.</summary>
    public void WriteStartMap(int pairs) => WriteHeader(5, (ulong)CheckCount(pairs));

    /// <summary>Writes the start of an indefinite-length array; end it with <see cref="WriteBreak"/>.</summary>
    public void WriteStartIndefiniteArray() => WriteByte(0x9F);

    /// <summary>Writes the start of an indefinite-length map; end it with <see cref="WriteBreak"/>.</summary>
    public void WriteStartIndefiniteMap() => WriteByte(0xBF);

    /// <summary>Writes the break byte that ends an indefinite-length item.</summary>
    public void WriteBreak() => WriteByte(0xFF);

    /// <summary>Writes a tag; the tagged item follows.</summary>
    public void WriteTag(ulong tag) => WriteHeader(6, tag);

    /// <summary>Writes <c>false</c> or <c>true</c>.</summary>
    public void WriteBoolean(bool value) => WriteByte(value ? (byte)0xF5 : (byte)0xF4);

    /// <summary>Writes <c>null</c>.</summary>
    public void WriteNull() => WriteByte(0xF6);

    /// <summary>Writes <c>undefined</c>.</summary>
    public void WriteUndefined() => WriteByte(0xF7);

    /// <summary>Writes a simple value 0–23 or 32–255 (24–31 are reserved and throw).</summary>
    public void WriteSimpleValue(byte value)
    {
        if (value is >= 24 and < 32)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "Simple values 24–31 are reserved.");
        }

        if (value < 24)
        {
            WriteByte((byte)(0xE0 | value));
        }
        else
        {
            Span<byte> span = _output.GetSpan(2);
            span[0] = 0xF8;
            span[1] = value;
            Advance(2);
        }
    }

    /// <summary>Writes a float in the shortest exact width (see <see cref="CborFloatMode"/>).</summary>
    public void WriteDouble(double value)
    {
        if (double.IsNaN(value) && _floatMode == CborFloatMode.Deterministic)
        {
            WriteHalfBits(0x7E00);
            return;
        }

        long bits = BitConverter.DoubleToInt64Bits(value);
        Half half = (Half)value;
        if (BitConverter.DoubleToInt64Bits((double)half) == bits)
        {
            WriteHalfBits(BitConverter.HalfToUInt16Bits(half));
            return;
        }

        float single = (float)value;
        if (BitConverter.DoubleToInt64Bits(single) == bits)
        {
            Span<byte> s = _output.GetSpan(5);
            s[0] = 0xFA;
            BinaryPrimitives.WriteSingleBigEndian(s[1..], single);
            Advance(5);
            return;
        }

        WriteDoubleFixed(value);
    }

    /// <summary>Writes a binary64 float as is, 9 bytes, whatever its value.</summary>
    public void WriteDoubleFixed(double value)
    {
        Span<byte> span = _output.GetSpan(9);
        span[0] = 0xFB;
        BinaryPrimitives.WriteDoubleBigEndian(span[1..], value);
        Advance(9);
    }

    /// <summary>Writes a binary32 float as is, 5 bytes.</summary>
    public void WriteSingleFixed(float value)
    {
        Span<byte> span = _output.GetSpan(5);
        span[0] = 0xFA;
        BinaryPrimitives.WriteSingleBigEndian(span[1..], value);
        Advance(5);
    }

    /// <summary>Writes a binary16 float as is, 3 bytes.</summary>
    public void WriteHalfFixed(Half value) => WriteHalfBits(BitConverter.HalfToUInt16Bits(value));

    /// <summary>Copies bytes that already hold encoded CBOR.</summary>
    public void WriteEncodedValue(scoped ReadOnlySpan<byte> encoded) => WriteRaw(encoded);

    private void WriteHalfBits(ushort bits)
    {
        Span<byte> span = _output.GetSpan(3);
        span[0] = 0xF9;
        BinaryPrimitives.WriteUInt16BigEndian(span[1..], bits);
        Advance(3);
    }

    private void WriteHeader(int major, ulong argument)
    {
        Span<byte> span = _output.GetSpan(9);
        byte type = (byte)(major << 5);
        int size;
        if (argument < 24)
        {
            span[0] = (byte)(type | (byte)argument);
            size = 1;
        }
        else if (argument <= byte.MaxValue)
        {
            span[0] = (byte)(type | 24);
            span[1] = (byte)argument;
            size = 2;
        }
        else if (argument <= ushort.MaxValue)
        {
            span[0] = (byte)(type | 25);
            BinaryPrimitives.WriteUInt16BigEndian(span[1..], (ushort)argument);
            size = 3;
        }
        else if (argument <= uint.MaxValue)
        {
            span[0] = (byte)(type | 26);
            BinaryPrimitives.WriteUInt32BigEndian(span[1..], (uint)argument);
            size = 5;
        }
        else
        {
            span[0] = (byte)(type | 27);
            BinaryPrimitives.WriteUInt64BigEndian(span[1..], argument);
            size = 9;
        }

        Advance(size);
    }

    private void WriteByte(byte value)
    {
        _output.GetSpan(1)[0] = value;
        Advance(1);
    }

    private void WriteRaw(scoped ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return;
        }

        bytes.CopyTo(_output.GetSpan(bytes.Length));
        Advance(bytes.Length);
    }

    private void Advance(int count)
    {
        _output.Advance(count);
        _written += count;
    }

    private static int CheckCount(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return count;
    }
}
