using System.Buffers.Binary;
using Tern.Coap.Messages;

namespace Tern.Coap.Blockwise;

/// <summary>
/// The value of a Block1 or Block2 option (RFC 7959 §2.2): a block number <see cref="Num"/>, a more flag
/// <see cref="More"/> and a size exponent <see cref="SizeExponent"/> giving a block size of 16 &lt;&lt; SZX bytes.
/// Written <c>num/m/size</c> as in the RFC figures, e.g. <c>2/1/128</c>.
/// </summary>
public readonly record struct BlockOption
{
    /// <summary>The largest block number a 3-byte option can carry (2^20 − 1).</summary>
    public const uint MaxNum = 0xFFFFF;

    /// <summary>The largest usable size exponent (6, 1024 bytes). 7 is reserved.</summary>
    public const int MaxSizeExponent = 6;

    /// <summary>The smallest block size (SZX 0).</summary>
    public const int MinSize = 16;

    /// <summary>The largest block size (SZX 6).</summary>
    public const int MaxSize = 1024;

    /// <summary>Creates a block option value. Throws for a number above 2^20 − 1 or a size exponent outside 0–6.</summary>
    /// <param name="num">The block number, 0 to 2^20 − 1.</param>
    /// <param name="more">The M flag: more blocks follow (descriptive) or were requested (control).</param>
    /// <param name="sizeExponent">SZX, 0 to 6.</param>
    public BlockOption(uint num, bool more, int sizeExponent)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(num, MaxNum);
        ArgumentOutOfRangeException.ThrowIfNegative(sizeExponent);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(sizeExponent, MaxSizeExponent);
        Num = num;
        More = more;
        SizeExponent = sizeExponent;
    }

    /// <summary>The block number (NUM).</summary>
    public uint Num { get; }

    /// <summary>The M flag.</summary>
    public bool More { get; }

    /// <summary>The size exponent (SZX), 0–6.</summary>
    public int SizeExponent { get; }

    /// <summary>The block size in bytes: 16 &lt;&lt; SZX (16–1024).</summary>
    public int Size => MinSize << SizeExponent;

    /// <summary>The byte offset of this block in the body: NUM × size (at most 2^30 − 1024, so it fits an int).</summary>
    public int Offset => (int)(Num << (SizeExponent + 4));

    /// <summary>The size in bytes for a size exponent 0–6.</summary>
    public static int SizeOf(int sizeExponent)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sizeExponent);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(sizeExponent, MaxSizeExponent);
        return MinSize << sizeExponent;
    }

    /// <summary>
    /// The largest size exponent whose block size is at most <paramref name="bytes"/>,
    /// or −1 when even 16 bytes do not fit.
    /// </summary>
    public static int LargestExponentNotAbove(int bytes)
    {
        for (int szx = MaxSizeExponent; szx >= 0; szx--)
        {
            if (MinSize << szx <= bytes)
            {
                return szx;
            }
        }

        return -1;
    }

    /// <summary>
    /// The block that starts at <paramref name="offset"/> with size exponent <paramref name="sizeExponent"/>.
    /// Used for late negotiation, where the next block number is recomputed from the bytes already moved.
    /// Throws when the offset is not a multiple of the block size or the number would exceed 2^20 − 1.
    /// </summary>
    public static BlockOption AtOffset(int offset, bool more, int sizeExponent)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        int size = SizeOf(sizeExponent);
        if (offset % size != 0)
        {
            throw new ArgumentException($"Offset {offset} is not a multiple of the block size {size}.", nameof(offset));
        }

        return new BlockOption((uint)(offset / size), more, sizeExponent);
    }

    /// <summary>
    /// Decodes an option value (0–3 bytes, big-endian, empty meaning 0). Returns a typed error and never throws:
    /// <see cref="BlockOptionError.ValueTooLong"/> for more than 3 bytes,
    /// <see cref="BlockOptionError.ReservedSizeExponent"/> for SZX 7.
    /// </summary>
    public static BlockOptionError TryDecode(ReadOnlySpan<byte> value, out BlockOption block)
    {
        block = default;
        if (value.Length > 3)
        {
            return BlockOptionError.ValueTooLong;
        }

        uint raw = 0;
        foreach (byte b in value)
        {
            raw = (raw << 8) | b;
        }

        return TryFromUInt(raw, out block);
    }

    /// <summary>Decodes an already-read uint value; fails for SZX 7 or a value wider than 24 bits.</summary>
    public static BlockOptionError TryFromUInt(uint value, out BlockOption block)
    {
        block = default;
        if (value > 0xFFFFFF)
        {
            return BlockOptionError.ValueTooLong;
        }

        int szx = (int)(value & 0x7);
        if (szx == 7)
        {
            return BlockOptionError.ReservedSizeExponent;
        }

        block = new BlockOption(value >> 4, (value & 0x8) != 0, szx);
        return BlockOptionError.None;
    }

    /// <summary>The option value as an unsigned integer: NUM &lt;&lt; 4 | M &lt;&lt; 3 | SZX.</summary>
    public uint ToUInt() => (Num << 4) | (More ? 8u : 0u) | (uint)SizeExponent;

    /// <summary>
    /// Writes the value in its shortest form (0–3 bytes; 0/0/16 is zero bytes) and returns the byte count.
    /// <paramref name="destination"/> needs room for 3 bytes.
    /// </summary>
    public int Encode(Span<byte> destination)
    {
        uint value = ToUInt();
        int length = value == 0 ? 0 : value <= 0xFF ? 1 : value <= 0xFFFF ? 2 : 3;
        if (destination.Length < length)
        {
            throw new ArgumentException("The destination needs room for up to 3 bytes.", nameof(destination));
        }

        Span<byte> buffer = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(buffer, value);
        buffer[(4 - length)..].CopyTo(destination);
        return length;
    }

    /// <summary>The option instance for <paramref name="optionNumber"/> (Block1 or Block2).</summary>
    public CoapOption ToOption(ushort optionNumber) => CoapOption.FromUInt(optionNumber, ToUInt());

    /// <summary>The same block with another M flag.</summary>
    public BlockOption WithMore(bool more) => new(Num, more, SizeExponent);

    /// <summary>Formats as in RFC 7959 figures: <c>num/m/size</c>, e.g. <c>2/1/128</c>.</summary>
    public override string ToString() => $"{Num}/{(More ? 1 : 0)}/{Size}";
}
