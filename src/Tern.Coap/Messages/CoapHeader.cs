using System.Buffers.Binary;

namespace Tern.Coap.Messages;

/// <summary>The fixed four-byte CoAP header plus the token length (RFC 7252 §3).</summary>
/// <param name="Type">The message type.</param>
/// <param name="TokenLength">The token length, 0–8.</param>
/// <param name="Code">The code.</param>
/// <param name="MessageId">The message ID.</param>
public readonly record struct CoapHeader(CoapMessageType Type, int TokenLength, CoapCode Code, ushort MessageId)
{
    /// <summary>The size of the fixed header.</summary>
    public const int Size = 4;

    /// <summary>Reads the header, failing for short input, version ≠ 1 or a reserved token length.</summary>
    public static CoapFormatError TryRead(ReadOnlySpan<byte> datagram, out CoapHeader header)
    {
        header = default;
        if (datagram.Length < Size)
        {
            return CoapFormatError.TruncatedHeader;
        }

        byte first = datagram[0];
        if (first >> 6 != 1)
        {
            return CoapFormatError.UnsupportedVersion;
        }

        int tokenLength = first & 0x0F;
        header = new CoapHeader((CoapMessageType)((first >> 4) & 0x03), tokenLength, new CoapCode(datagram[1]),
            BinaryPrimitives.ReadUInt16BigEndian(datagram[2..]));
        return tokenLength > 8 ? CoapFormatError.ReservedTokenLength : CoapFormatError.None;
    }
}
