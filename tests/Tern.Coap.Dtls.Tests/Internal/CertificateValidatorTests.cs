using Tern.Coap.Dtls.Internal;
using Tern.Coap.Dtls.Tests.Support;

namespace Tern.Coap.Dtls.Tests.Internal;

/// <summary>The LwM2M 1.1 certificate usages (/0/x/15) applied to a server chain, without a network.</summary>
public sealed class CertificateValidatorTests
{
    private static readonly TestIdentity Root = TestCertificates.CreateCa("Root CA");
    private static readonly TestIdentity OtherRoot = TestCertificates.CreateCa("Other CA");
    private static readonly TestIdentity Server = TestCertificates.CreateLeaf("srv.example.test", Root, dnsName: "srv.example.test");
    private static readonly DateTime Now = DateTime.UtcNow;

    private static DtlsErrorKind? Check(DtlsCertificateUsage usage, Org.BouncyCastle.X509.X509Certificate? given,
        string? host = null, params Org.BouncyCastle.X509.X509Certificate[] anchors) =>
        CertificateValidator.ValidateServer([Server.Certificate], new DtlsClientOptions
        {
            PskIdentity = null,
            Certificate = Server.Credentials(),
            ServerCertificate = given,
            CertificateUsage = usage,
            TrustedCertificates = anchors,
            ServerName = host,
        }, Now)?.Kind;

    [Fact]
    public void Ca_constraint_accepts_a_chain_issued_by_the_given_ca_and_refuses_another() 
    {
        Assert.Null(Check(DtlsCertificateUsage.CaConstraint, Root.Certificate));
        Assert.Equal(DtlsErrorKind.UntrustedCertificate, Check(DtlsCertificateUsage.CaConstraint, OtherRoot.Certificate));
    }

    [Fact]
    public void Service_certificate_constraint_needs_the_exact_leaf_and_a_valid_path()
    {
        Assert.Null(Check(DtlsCertificateUsage.ServiceCertificateConstraint, Server.Certificate, null, Root.Certificate));
        Assert.Equal(DtlsErrorKind.UntrustedCertificate, Check(DtlsCertificateUsage.ServiceCertificateConstraint, Server.Certificate, null, OtherRoot.Certificate));
        Assert.Equal(DtlsErrorKind.UntrustedCertificate, Check(DtlsCertificateUsage.ServiceCertificateConstraint, Root.Certificate, null, Root.Certificate));
    }

    [Fact]
    public void Trust_anchor_assertion_checks_the_host_name_against_subject_alternative_names()
    {
        Assert.Null(Check(DtlsCertificateUsage.TrustAnchorAssertion, Root.Certificate, "SRV.example.test"));
        Assert.Equal(DtlsErrorKind.HostNameMismatch, Check(DtlsCertificateUsage.TrustAnchorAssertion, Root.Certificate, "other.example.test"));
    }

    [Fact]
    public void Domain_issued_certificate_pins_the_leaf_and_ignores_the_host_name()
    {
        Assert.Null(Check(DtlsCertificateUsage.DomainIssuedCertificate, Server.Certificate, "not.the.host"));
        Assert.Equal(DtlsErrorKind.UntrustedCertificate, Check(DtlsCertificateUsage.DomainIssuedCertificate, Root.Certificate));
    }

    [Fact]
    public void An_expired_certificate_is_untrusted_even_when_pinned()
    {
        TestIdentity expired = TestCertificates.CreateLeaf("old", Root, notAfter: DateTime.UtcNow.AddHours(-1));
        var options = new DtlsClientOptions
        {
            Certificate = Server.Credentials(),
            ServerCertificate = expired.Certificate,
            CertificateUsage = DtlsCertificateUsage.DomainIssuedCertificate,
        };

        Assert.Equal(DtlsErrorKind.UntrustedCertificate, CertificateValidator.ValidateServer([expired.Certificate], options, Now)?.Kind);
    }
}
