using System.Buffers.Binary;

namespace Tern.Coap.Dtls.Native;

/// <summary>
/// Bodies of the messages the native server sends, and readers of the client's key-exchange messages (RFC 6347 §4.2.1,
/// RFC 5246 §7.4, RFC 4279 §2 for PSK, RFC 8422 §5 for ECDHE_ECDSA). Readers are total: malformed input gives null.
/// </summary>
internal static partial class ServerMessages
{
    /// <summary>HelloVerifyRequest: server_version (DTLS 1.0 on the wire, as RFC 6347 §4.2.1 recommends) and the cookie.</summary>
    public static byte[] HelloVerifyRequest(ReadOnlySpan<byte> cookie)
    {
        byte[] body = new byte[3 + cookie.Length];
        BinaryPrimitives.WriteUInt16BigEndian(body, DtlsRecord.Dtls10);
        body[2] = (byte)cookie.Length;
        cookie.CopyTo(body.AsSpan(3));
        return body;
    }

    /// <summary>
    /// ServerHello with null compression and only the extensions the client offered: an empty renegotiation_info
    /// (RFC 5746 §3.6), extended_master_secret (RFC 7627 §5.1) and, for an ECC suite, ec_point_formats naming
    /// uncompressed only (RFC 8422 §5.2).
    /// </summary>
    public static byte[] ServerHello(ReadOnlySpan<byte> random, ReadOnlySpan<byte> sessionId, ushort suite, bool renegotiationInfo, bool extendedMasterSecret,
        bool pointFormats = false)
    {
        int extensions = (renegotiationInfo ? 5 : 0) + (extendedMasterSecret ? 4 : 0) + (pointFormats ? 6 : 0);
        byte[] body = new byte[2 + 32 + 1 + sessionId.Length + 2 + 1 + (extensions > 0 ? 2 + extensions : 0)];
        var span = body.AsSpan();
        BinaryPrimitives.WriteUInt16BigEndian(span, DtlsRecord.Dtls12);
        random.CopyTo(span[2..]);
        int at = 34;
        span[at++] = (byte)sessionId.Length;
        sessionId.CopyTo(span[at..]);
        at += sessionId.Length;
        BinaryPrimitives.WriteUInt16BigEndian(span[at..], suite);
        at += 2;
        span[at++] = 0; // null compression
        if (extensions > 0)
        {
            BinaryPrimitives.WriteUInt16BigEndian(span[at..], (ushort)extensions);
            at += 2;
            if (renegotiationInfo)
            {
                BinaryPrimitives.WriteUInt16BigEndian(span[at..], ClientHello.RenegotiationInfoExtension);
                BinaryPrimitives.WriteUInt16BigEndian(span[(at + 2)..], 1);
                span[at + 4] = 0; // renegotiated_connection: empty on an initial handshake
                at += 5;
            }

            if (extendedMasterSecret)
            {
                BinaryPrimitives.WriteUInt16BigEndian(span[at..], ClientHello.ExtendedMasterSecretExtension);
                BinaryPrimitives.WriteUInt16BigEndian(span[(at + 2)..], 0);
                at += 4;
            }

            if (pointFormats)
            {
                BinaryPrimitives.WriteUInt16BigEndian(span[at..], ClientHello.PointFormatsExtension);
                BinaryPrimitives.WriteUInt16BigEndian(span[(at + 2)..], 2);
                span[at + 4] = 1; // one format:
                span[at + 5] = ClientHello.UncompressedPoint;
            }
        }

        return body;
    }

    /// <summary>ServerKeyExchange of plain PSK: psk_identity_hint&lt;0..2^16-1&gt;.</summary>
    public static byte[] PskServerKeyExchange(ReadOnlySpan<byte> hint)
    {
        byte[] body = new byte[2 + hint.Length];
        BinaryPrimitives.WriteUInt16BigEndian(body, (ushort)hint.Length);
        hint.CopyTo(body.AsSpan(2));
        return body;
    }

    /// <summary>Reads the psk_identity of a plain-PSK ClientKeyExchange; null when malformed.</summary>
    public static byte[]? PskIdentity(ReadOnlySpan<byte> clientKeyExchange)
    {
        if (clientKeyExchange.Length < 2)
        {
            return null;
        }

        int length = BinaryPrimitives.ReadUInt16BigEndian(clientKeyExchange);
        return clientKeyExchange.Length == 2 + length ? clientKeyExchange[2..].ToArray() : null;
    }
}
