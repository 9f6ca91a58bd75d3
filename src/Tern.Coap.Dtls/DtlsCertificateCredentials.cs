using System.Text;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.OpenSsl;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;

namespace Tern.Coap.Dtls;

/// <summary>
/// An own certificate chain (leaf first) and its ECDSA private key, as LwM2M keeps them in /0/x/3 and /0/x/5.
/// </summary>
public sealed class DtlsCertificateCredentials
{
    private DtlsCertificateCredentials(IReadOnlyList<X509Certificate> chain, ECPrivateKeyParameters privateKey)
    {
        Chain = chain;
        PrivateKey = privateKey;
    }

    /// <summary>The certificate chain, leaf first.</summary>
    public IReadOnlyList<X509Certificate> Chain { get; }

    /// <summary>The private key matching the leaf certificate.</summary>
    public ECPrivateKeyParameters PrivateKey { get; }

    /// <summary>Builds credentials from parsed objects.</summary>
    public static DtlsCertificateCredentials Create(IReadOnlyList<X509Certificate> chain, AsymmetricKeyParameter privateKey)
    {
        ArgumentNullException.ThrowIfNull(chain);
        if (chain.Count == 0)
        {
            throw new ArgumentException("The certificate chain needs at least the leaf certificate.", nameof(chain));
        }

        if (privateKey is not ECPrivateKeyParameters ec)
        {
            throw new ArgumentException("Only ECDSA private keys are supported (the ECDHE_ECDSA cipher suites).", nameof(privateKey));
        }

        return new DtlsCertificateCredentials(chain.ToArray(), ec);
    }

    /// <summary>
    /// Reads credentials from bytes that are either PEM text (CERTIFICATE blocks, and an EC PRIVATE KEY or PRIVATE KEY block)
    /// or DER (one X.509 certificate; a PKCS#8 or SEC1 EC private key).
    /// </summary>
    public static DtlsCertificateCredentials Load(ReadOnlySpan<byte> certificate, ReadOnlySpan<byte> privateKey) =>
        Create(DtlsCertificates.ReadCertificates(certificate), DtlsCertificates.ReadPrivateKey(privateKey));
}

/// <summary>Helpers to read certificates and keys in the DER or PEM forms LwM2M and libcoap use.</summary>
public static class DtlsCertificates
{
    /// <summary>Reads one DER certificate or any number of PEM CERTIFICATE blocks.</summary>
    public static IReadOnlyList<X509Certificate> ReadCertificates(ReadOnlySpan<byte> data)
    {
        var parser = new X509CertificateParser();
        var result = new List<X509Certificate>();
        foreach (X509Certificate certificate in parser.ReadCertificates(data.ToArray()))
        {
            result.Add(certificate);
        }

        if (result.Count == 0)
        {
            throw new ArgumentException("No X.509 certificate found (expected DER or PEM).", nameof(data));
        }

        return result;
    }

    /// <summary>Reads an EC private key: PEM (EC PRIVATE KEY or PRIVATE KEY), DER PKCS#8, or DER SEC1.</summary>
    public static AsymmetricKeyParameter ReadPrivateKey(ReadOnlySpan<byte> data)
    {
        if (IsPem(data))
        {
            using var reader = new StringReader(Encoding.ASCII.GetString(data));
            object? pem = new PemReader(reader).ReadObject();
            return pem switch
            {
                AsymmetricCipherKeyPair pair => pair.Private,
                AsymmetricKeyParameter key when key.IsPrivate => key,
                _ => throw new ArgumentException("The PEM text holds no private key.", nameof(data)),
            };
        }

        byte[] der = data.ToArray();
        try
        {
            return PrivateKeyFactory.CreateKey(der);
        }
        catch (Exception e) when (e is ArgumentException or InvalidCastException or IOException)
        {
            var sec1 = ECPrivateKeyStructure.GetInstance(Asn1Object.FromByteArray(der));
            var curveOid = (DerObjectIdentifier)sec1.GetParameters();
            return new ECPrivateKeyParameters("EC", sec1.GetKey(), curveOid);
        }
    }

    /// <summary>The subject common name (CN) of <paramref name="certificate"/>, or null.</summary>
    public static string? GetCommonName(X509Certificate certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var values = certificate.SubjectDN.GetValueList(Org.BouncyCastle.Asn1.X509.X509Name.CN);
        return values.Count > 0 ? values[values.Count - 1]?.ToString() : null;
    }

    private static bool IsPem(ReadOnlySpan<byte> data) => data.IndexOf("-----BEGIN"u8) >= 0;
}
