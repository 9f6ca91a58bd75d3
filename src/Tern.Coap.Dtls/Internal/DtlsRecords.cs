using System.Buffers.Binary;

namespace Tern.Coap.Dtls.Internal;

/// <summary>Just enough of the DTLS record header (RFC 6347 §4.1) to route and pre-check datagrams.</summary>
internal static class DtlsRecords
{
    public const int HeaderLength = 13;
    private const byte Handshake = 22;
    private const byte ClientHello = 1;

    /// <summary>True when the datagram starts with an epoch-0 handshake record carrying a ClientHello.</summary>
    public static bool IsClientHello(ReadOnlySpan<byte> datagram) =>
        datagram.Length >= HeaderLength + 12
        && datagram[0] == Handshake
        && datagram[1] == 0xFE
        && BinaryPrimitives.ReadUInt16BigEndian(datagram[3..]) == 0
        && datagram[HeaderLength] == ClientHello;

    /// <summary>
    /// How many times to call BouncyCastle's Receive for this datagram: once per application-data record, or
    /// once when there is none (an alert or a retransmitted handshake record still has to be processed).
    /// BouncyCastle 1.8.10 keeps polling until its wait expires when a call yields no application data, so
    /// calling it more often than needed only burns the wait.
    /// </summary>
    public static int ReceiveCalls(ReadOnlySpan<byte> datagram)
    {
        int applicationRecords = 0;
        int offset = 0;
        while (datagram.Length - offset >= HeaderLength)
        {
            if (datagram[offset] == 23)
            {
                applicationRecords++;
            }

            offset += HeaderLength + BinaryPrimitives.ReadUInt16BigEndian(datagram[(offset + 11)..]);
        }

        return Math.Max(1, applicationRecords);
    }

    /// <summary>
    /// Walks the records of a datagram and authenticates each one of <paramref name="epoch"/> with the guard.
    /// False when a record is malformed or fails authentication: the whole datagram is then dropped.
    /// </summary>
    public static bool VerifyProtectedRecords(byte[] datagram, int epoch, GuardedCipher guard)
    {
        int offset = 0;
        while (offset < datagram.Length)
        {
            if (datagram.Length - offset < HeaderLength)
            {
                return false;
            }

            ReadOnlySpan<byte> header = datagram.AsSpan(offset, HeaderLength);
            int recordEpoch = BinaryPrimitives.ReadUInt16BigEndian(header[3..]);
            long sequence = ((long)BinaryPrimitives.ReadUInt16BigEndian(header[5..]) << 32) | BinaryPrimitives.ReadUInt32BigEndian(header[7..]);
            int length = BinaryPrimitives.ReadUInt16BigEndian(header[11..]);
            if (datagram.Length - offset - HeaderLength < length)
            {
                return false;
            }

            if (recordEpoch == epoch
                && !guard.TryVerify(((long)epoch << 48) | sequence, header[0], datagram, offset + HeaderLength, length))
            {
                return false;
            }

            offset += HeaderLength + length;
        }

        return true;
    }
}
