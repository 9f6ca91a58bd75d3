using System.Buffers.Binary;

namespace Tern.Coap.Dtls.Native;

/// <summary>Content types, versions and the 13-byte record header of RFC 6347 §4.1.</summary>
internal static class DtlsRecord
{
    public const int HeaderLength = 13;
    public const byte ChangeCipherSpec = 20;
    public const byte Alert = 21;
    public const byte Handshake = 22;
    public const byte ApplicationData = 23;
    public const ushort Dtls12 = 0xFEFD;
    public const ushort Dtls10 = 0xFEFF;
    public const long MaxSequence = (1L << 48) - 1;

    /// <summary>
    /// Reads the record at <paramref name="offset"/> and advances past it; false when fewer than a header's bytes remain
    /// or the length runs past the datagram (the rest of the datagram is then ignored, RFC 6347 §4.1.2.7).
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> datagram, scoped ref int offset, out RecordHeader header, out ReadOnlySpan<byte> fragment)
    {
        fragment = default;
        header = default;
        if (datagram.Length - offset < HeaderLength)
        {
            return false;
        }

        ReadOnlySpan<byte> h = datagram.Slice(offset, HeaderLength);
        int length = BinaryPrimitives.ReadUInt16BigEndian(h[11..]);
        if (datagram.Length - offset - HeaderLength < length)
        {
            return false;
        }

        header = new RecordHeader(
            h[0],
            BinaryPrimitives.ReadUInt16BigEndian(h[1..]),
            BinaryPrimitives.ReadUInt16BigEndian(h[3..]),
            ((long)BinaryPrimitives.ReadUInt16BigEndian(h[5..]) << 32) | BinaryPrimitives.ReadUInt32BigEndian(h[7..]));
        fragment = datagram.Slice(offset + HeaderLength, length);
        offset += HeaderLength + length;
        return true;
    }

    /// <summary>Writes a record header for a fragment of <paramref name="length"/> bytes.</summary>
    public static void WriteHeader(Span<byte> destination, byte type, ushort version, ushort epoch, long sequence, int length)
    {
        destination[0] = type;
        BinaryPrimitives.WriteUInt16BigEndian(destination[1..], version);
        BinaryPrimitives.WriteUInt16BigEndian(destination[3..], epoch);
        BinaryPrimitives.WriteUInt16BigEndian(destination[5..], (ushort)(sequence >> 32));
        BinaryPrimitives.WriteUInt32BigEndian(destination[7..], (uint)sequence);
        BinaryPrimitives.WriteUInt16BigEndian(destination[11..], (ushort)length);
    }

    /// <summary>The epoch over the 48-bit sequence number, as the nonce and additional data carry them.</summary>
    public static ulong EpochAndSequence(ushort epoch, long sequence) => ((ulong)epoch << 48) | (ulong)sequence;
}

/// <summary>A parsed record header.</summary>
internal readonly record struct RecordHeader(byte Type, ushort Version, ushort Epoch, long Sequence)
{
    public bool IsDtls => Version >> 8 == 0xFE;
}
