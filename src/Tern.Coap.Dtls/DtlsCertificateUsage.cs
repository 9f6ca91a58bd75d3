namespace Tern.Coap.Dtls;

/// <summary>
/// How the client checks the server certificate against the configured certificate: the LwM2M 1.1 Security
/// object resource /0/x/15, whose values follow the DANE certificate usages of RFC 6698.
/// </summary>
public enum DtlsCertificateUsage
{
    /// <summary>
    /// 0, CA constraint: the chain must validate to a trust anchor and the configured certificate must be one of
    /// the CA certificates on that path. Tern has no system trust store, so the configured certificate and
    /// <see cref="DtlsClientOptions.TrustedCertificates"/> are the anchors.
    /// </summary>
    CaConstraint = 0,

    /// <summary>
    /// 1, service certificate constraint: the leaf must be exactly the configured certificate and must also
    /// validate to one of <see cref="DtlsClientOptions.TrustedCertificates"/>.
    /// </summary>
    ServiceCertificateConstraint = 1,

    /// <summary>2, trust anchor assertion: the chain must validate to the configured certificate as the anchor.</summary>
    TrustAnchorAssertion = 2,

    /// <summary>
    /// 3, domain-issued certificate (the LwM2M default): the leaf must be exactly the configured certificate;
    /// no path validation and no host-name check.
    /// </summary>
    DomainIssuedCertificate = 3,
}
