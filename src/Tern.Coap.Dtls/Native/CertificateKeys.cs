using System.Security.Cryptography;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.X509;
using BcBigInteger = Org.BouncyCastle.Math.BigInteger;
using BcPoint = Org.BouncyCastle.Math.EC.ECPoint;

namespace Tern.Coap.Dtls.Native;

/// <summary>
/// The server's certificate credentials in the form the native engine signs with: the BouncyCastle key converted once
/// to a <see cref="ECDsa"/> of <c>System.Security.Cryptography</c>, and the Certificate message body built once.
/// Only secp256r1 keys qualify (the one curve the LwM2M ECDHE_ECDSA suites use here).
/// </summary>
internal sealed class ServerCertificateKeys : IDisposable
{
    private ServerCertificateKeys(ECDsa signer, byte[] certificateMessage)
    {
        Signer = signer;
        CertificateMessage = certificateMessage;
    }

    /// <summary>Signs ServerKeyExchange parameters.</summary>
    public ECDsa Signer { get; }

    /// <summary>The body of the server's Certificate message: certificate_list of the DER chain, leaf first.</summary>
    public byte[] CertificateMessage { get; }

    /// <summary>The converted credentials, or null when the key is not on secp256r1 (such a server stays on BouncyCastle).</summary>
    public static ServerCertificateKeys? TryCreate(DtlsCertificateCredentials credentials)
    {
        ECPrivateKeyParameters key = credentials.PrivateKey;
        if (!EcdsaKeys.IsSecp256r1(key.Parameters))
        {
            return null;
        }

        BcPoint q = key.Parameters.G.Multiply(key.D).Normalize();
        var parameters = new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            D = EcdsaKeys.Fixed32(key.D),
            Q = new ECPoint { X = EcdsaKeys.Fixed32(q.AffineXCoord.ToBigInteger()), Y = EcdsaKeys.Fixed32(q.AffineYCoord.ToBigInteger()) },
        };
        ECDsa signer = ECDsa.Create(parameters);
        byte[][] ders = [.. credentials.Chain.Select(c => c.GetEncoded())];
        return new ServerCertificateKeys(signer, ServerMessages.Certificate(ders));
    }

    public void Dispose() => Signer.Dispose();
}

/// <summary>Conversions between BouncyCastle's EC types and <c>System.Security.Cryptography</c>'s.</summary>
internal static class EcdsaKeys
{
    private static readonly X9ECParameters P256 = SecNamedCurves.GetByOid(SecObjectIdentifiers.SecP256r1);

    public static bool IsSecp256r1(ECDomainParameters parameters) =>
        parameters.Curve.Equals(P256.Curve) && parameters.G.Equals(P256.G);

    /// <summary>
    /// The verifier of a client certificate's public key, or null when it is not an EC key on secp256r1 or is not a valid point.
    /// </summary>
    public static ECDsa? VerifierOf(X509Certificate certificate)
    {
        try
        {
            if (certificate.GetPublicKey() is not ECPublicKeyParameters key || !IsSecp256r1(key.Parameters))
            {
                return null;
            }

            BcPoint q = key.Q.Normalize();
            return ECDsa.Create(new ECParameters
            {
                Curve = ECCurve.NamedCurves.nistP256,
                Q = new ECPoint { X = Fixed32(q.AffineXCoord.ToBigInteger()), Y = Fixed32(q.AffineYCoord.ToBigInteger()) },
            });
        }
#pragma warning disable CA1031 // Whatever a hostile certificate's key makes BouncyCastle or the platform throw, it is simply no usable key.
        catch (Exception)
#pragma warning restore CA1031
        {
            return null;
        }
    }

    /// <summary>A non-negative integer below 2^256 as 32 big-endian bytes.</summary>
    public static byte[] Fixed32(BcBigInteger value)
    {
        byte[] raw = value.ToByteArrayUnsigned();
        byte[] result = new byte[32];
        raw.AsSpan(Math.Max(0, raw.Length - 32)).CopyTo(result.AsSpan(Math.Max(0, 32 - raw.Length)));
        return result;
    }
}
