using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.OpenSsl;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;

namespace Tern.Coap.Dtls.Tests.Support;

/// <summary>An ECDSA P-256 certificate and its key pair, generated for one test run.</summary>
public sealed record TestIdentity(X509Certificate Certificate, AsymmetricCipherKeyPair Keys)
{
    public DtlsCertificateCredentials Credentials(params X509Certificate[] intermediates) =>
        DtlsCertificateCredentials.Create([Certificate, .. intermediates], Keys.Private);

    public string CertificatePem => ToPem(Certificate);

    public string PrivateKeyPem => ToPem(Keys.Private);

    public static string ToPem(object value)
    {
        using var writer = new StringWriter();
        var pem = new PemWriter(writer);
        pem.WriteObject(value);
        pem.Writer.Flush();
        return writer.ToString();
    }
}

/// <summary>Builds a CA and leaf certificates with BouncyCastle (nothing is read from disk).</summary>
public static class TestCertificates
{
    private static readonly SecureRandom Random = new();
    private static long _serial = DateTime.UtcNow.Ticks;

    public static AsymmetricCipherKeyPair NewKeyPair()
    {
        var generator = new ECKeyPairGenerator("EC");
        generator.Init(new ECKeyGenerationParameters(SecObjectIdentifiers.SecP256r1, Random));
        return generator.GenerateKeyPair();
    }

    public static TestIdentity CreateCa(string name)
    {
        AsymmetricCipherKeyPair keys = NewKeyPair();
        X509Certificate certificate = Build(new X509Name("CN=" + name), keys.Public, new X509Name("CN=" + name), keys.Private, isCa: true, dnsName: null);
        return new TestIdentity(certificate, keys);
    }

    public static TestIdentity CreateLeaf(string commonName, TestIdentity issuer, string? dnsName = null, DateTime? notAfter = null)
    {
        AsymmetricCipherKeyPair keys = NewKeyPair();
        X509Certificate certificate = Build(new X509Name("CN=" + commonName), keys.Public, issuer.Certificate.SubjectDN, issuer.Keys.Private,
            isCa: false, dnsName, notAfter);
        return new TestIdentity(certificate, keys);
    }

    public static TestIdentity CreateSelfSigned(string commonName, string? dnsName = null)
    {
        AsymmetricCipherKeyPair keys = NewKeyPair();
        var name = new X509Name("CN=" + commonName);
        return new TestIdentity(Build(name, keys.Public, name, keys.Private, isCa: false, dnsName), keys);
    }

    private static X509Certificate Build(X509Name subject, AsymmetricKeyParameter publicKey, X509Name issuer, AsymmetricKeyParameter signingKey,
        bool isCa, string? dnsName, DateTime? notAfter = null)
    {
        var generator = new X509V3CertificateGenerator();
        generator.SetSerialNumber(BigInteger.ValueOf(Interlocked.Increment(ref _serial)));
        generator.SetSubjectDN(subject);
        generator.SetIssuerDN(issuer);
        generator.SetNotBefore(DateTime.UtcNow.AddDays(-1));
        generator.SetNotAfter(notAfter ?? DateTime.UtcNow.AddYears(1));
        generator.SetPublicKey(publicKey);
        generator.AddExtension(X509Extensions.BasicConstraints, true, new BasicConstraints(isCa));
        generator.AddExtension(X509Extensions.KeyUsage, true,
            new KeyUsage(isCa ? KeyUsage.KeyCertSign | KeyUsage.CrlSign | KeyUsage.DigitalSignature : KeyUsage.DigitalSignature | KeyUsage.KeyAgreement));
        if (dnsName is not null)
        {
            generator.AddExtension(X509Extensions.SubjectAlternativeName, false, new GeneralNames(new GeneralName(GeneralName.DnsName, dnsName)));
        }

        if (!isCa)
        {
            generator.AddExtension(X509Extensions.ExtendedKeyUsage, false,
                new ExtendedKeyUsage(KeyPurposeID.IdKPServerAuth, KeyPurposeID.IdKPClientAuth));
        }

        return generator.Generate(new Asn1SignatureFactory("SHA256WITHECDSA", signingKey, Random));
    }
}
