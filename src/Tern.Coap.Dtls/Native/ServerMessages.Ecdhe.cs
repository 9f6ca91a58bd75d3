using System.Buffers.Binary;

namespace Tern.Coap.Dtls.Native;

/// <content>The messages of an ECDHE_ECDSA handshake on secp256r1 with uncompressed points (RFC 8422 §5, RFC 5246 §7.4).</content>
internal static partial class ServerMessages
{
    /// <summary>Length of an uncompressed secp256r1 point: 0x04 ‖ X ‖ Y.</summary>
    public const int UncompressedPointLength = 65;

    /// <summary>At most this many certificates are read from a client's chain.</summary>
    public const int MaxClientChain = 8;

    /// <summary>Certificate: certificate_list&lt;0..2^24-1&gt; of ASN.1Cert&lt;1..2^24-1&gt;, leaf first.</summary>
    public static byte[] Certificate(IReadOnlyList<byte[]> ders)
    {
        int total = ders.Sum(d => 3 + d.Length);
        byte[] body = new byte[3 + total];
        HandshakeMessage.WriteUInt24(body, total);
        int at = 3;
        foreach (byte[] der in ders)
        {
            HandshakeMessage.WriteUInt24(body.AsSpan(at), der.Length);
            der.CopyTo(body.AsSpan(at + 3));
            at += 3 + der.Length;
        }

        return body;
    }

    /// <summary>ServerECDHParams: curve_type named_curve (3), secp256r1, then the ECPoint&lt;1..2^8-1&gt;.</summary>
    public static byte[] EcdhParameters(ReadOnlySpan<byte> uncompressedPoint)
    {
        byte[] parameters = new byte[4 + uncompressedPoint.Length];
        parameters[0] = 3;
        BinaryPrimitives.WriteUInt16BigEndian(parameters.AsSpan(1), ClientHello.Secp256r1);
        parameters[3] = (byte)uncompressedPoint.Length;
        uncompressedPoint.CopyTo(parameters.AsSpan(4));
        return parameters;
    }

    /// <summary>ServerKeyExchange: the parameters, then a digitally-signed struct (algorithm ecdsa_secp256r1_sha256, DER signature).</summary>
    public static byte[] EcdheServerKeyExchange(ReadOnlySpan<byte> parameters, ReadOnlySpan<byte> signature)
    {
        byte[] body = new byte[parameters.Length + 4 + signature.Length];
        parameters.CopyTo(body);
        BinaryPrimitives.WriteUInt16BigEndian(body.AsSpan(parameters.Length), ClientHello.EcdsaSecp256r1Sha256);
        BinaryPrimitives.WriteUInt16BigEndian(body.AsSpan(parameters.Length + 2), (ushort)signature.Length);
        signature.CopyTo(body.AsSpan(parameters.Length + 4));
        return body;
    }

    /// <summary>CertificateRequest: certificate_types [ecdsa_sign (64)], supported_signature_algorithms [0x0403], no CA names.</summary>
    public static byte[] CertificateRequest() => [1, 64, 0, 2, 0x04, 0x03, 0, 0];

    /// <summary>The DER certificates of a client's Certificate message; null when malformed or longer than <see cref="MaxClientChain"/>.</summary>
    public static List<byte[]>? CertificateList(ReadOnlySpan<byte> body)
    {
        if (body.Length < 3 || HandshakeMessage.ReadUInt24(body) != body.Length - 3)
        {
            return null;
        }

        var certificates = new List<byte[]>();
        ReadOnlySpan<byte> rest = body[3..];
        while (!rest.IsEmpty)
        {
            if (rest.Length < 3 || certificates.Count == MaxClientChain)
            {
                return null;
            }

            int length = HandshakeMessage.ReadUInt24(rest);
            if (length == 0 || rest.Length - 3 < length)
            {
                return null;
            }

            certificates.Add(rest.Slice(3, length).ToArray());
            rest = rest[(3 + length)..];
        }

        return certificates;
    }

    /// <summary>The client's ephemeral point of an ECDHE ClientKeyExchange (ECPoint&lt;1..2^8-1&gt;) as X ‖ Y; null unless uncompressed and 65 bytes.</summary>
    public static byte[]? EcdhPublicPoint(ReadOnlySpan<byte> clientKeyExchange)
    {
        if (clientKeyExchange.Length != 1 + UncompressedPointLength || clientKeyExchange[0] != UncompressedPointLength || clientKeyExchange[1] != 4)
        {
            return null;
        }

        return clientKeyExchange[2..].ToArray();
    }

    /// <summary>The signature of a CertificateVerify (digitally-signed struct); null when malformed.</summary>
    public static byte[]? CertificateVerifySignature(ReadOnlySpan<byte> body, out ushort algorithm)
    {
        algorithm = 0;
        if (body.Length < 4 || BinaryPrimitives.ReadUInt16BigEndian(body[2..]) != body.Length - 4)
        {
            return null;
        }

        algorithm = BinaryPrimitives.ReadUInt16BigEndian(body);
        return body[4..].ToArray();
    }
}
