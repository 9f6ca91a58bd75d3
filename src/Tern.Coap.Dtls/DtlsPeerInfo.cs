using Org.BouncyCastle.X509;

namespace Tern.Coap.Dtls;

/// <summary>Who the peer of an established DTLS session proved to be.</summary>
/// <param name="CipherSuite">The negotiated cipher suite.</param>
/// <param name="PskIdentity">The PSK identity the client presented (PSK suites), else null.</param>
/// <param name="Certificate">The peer's leaf certificate (certificate suites), else null.</param>
public sealed record DtlsPeerInfo(DtlsCipherSuite CipherSuite, string? PskIdentity, X509Certificate? Certificate)
{
    /// <summary>The subject common name of <see cref="Certificate"/>; LwM2M clients put their endpoint name here.</summary>
    public string? CommonName => Certificate is null ? null : DtlsCertificates.GetCommonName(Certificate);
}
