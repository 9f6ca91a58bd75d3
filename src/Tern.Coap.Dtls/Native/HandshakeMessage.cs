using System.Buffers.Binary;

namespace Tern.Coap.Dtls.Native;

/// <summary>The 12-byte DTLS handshake header (RFC 6347 §4.2.2) and the handshake types the native server meets.</summary>
internal static class HandshakeMessage
{
    public const int HeaderLength = 12;
    public const byte ClientHello = 1;
    public const byte ServerHello = 2;
    public const byte HelloVerifyRequest = 3;
    public const byte Certificate = 11;
    public const byte ServerKeyExchange = 12;
    public const byte CertificateRequest = 13;
    public const byte ServerHelloDone = 14;
    public const byte CertificateVerify = 15;
    public const byte ClientKeyExchange = 16;
    public const byte Finished = 20;

    /// <summary>Reads one handshake fragment header at <paramref name="offset"/> of a record's fragment and advances past it.</summary>
    public static bool TryRead(ReadOnlySpan<byte> records, scoped ref int offset, out HandshakeFragment fragment, out ReadOnlySpan<byte> body)
    {
        fragment = default;
        body = default;
        if (records.Length - offset < HeaderLength)
        {
            return false;
        }

        ReadOnlySpan<byte> h = records.Slice(offset, HeaderLength);
        int length = ReadUInt24(h[1..]);
        int fragmentOffset = ReadUInt24(h[6..]);
        int fragmentLength = ReadUInt24(h[9..]);
        if (records.Length - offset - HeaderLength < fragmentLength || fragmentOffset + fragmentLength > length)
        {
            return false;
        }

        fragment = new HandshakeFragment(h[0], length, BinaryPrimitives.ReadUInt16BigEndian(h[4..]), fragmentOffset, fragmentLength);
        body = records.Slice(offset + HeaderLength, fragmentLength);
        offset += HeaderLength + fragmentLength;
        return true;
    }

    /// <summary>A whole, unfragmented handshake message: header (fragment offset 0, fragment length = length) and body.</summary>
    public static byte[] Build(byte type, ushort messageSeq, ReadOnlySpan<byte> body)
    {
        byte[] message = new byte[HeaderLength + body.Length];
        message[0] = type;
        WriteUInt24(message.AsSpan(1), body.Length);
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(4), messageSeq);
        WriteUInt24(message.AsSpan(9), body.Length);
        body.CopyTo(message.AsSpan(HeaderLength));
        return message;
    }

    public static int ReadUInt24(ReadOnlySpan<byte> source) => (source[0] << 16) | (source[1] << 8) | source[2];

    public static void WriteUInt24(Span<byte> destination, int value)
    {
        destination[0] = (byte)(value >> 16);
        destination[1] = (byte)(value >> 8);
        destination[2] = (byte)value;
    }
}

/// <summary>A parsed handshake fragment header.</summary>
internal readonly record struct HandshakeFragment(byte Type, int Length, ushort MessageSeq, int FragmentOffset, int FragmentLength)
{
    public bool IsWhole => FragmentOffset == 0 && FragmentLength == Length;
}
