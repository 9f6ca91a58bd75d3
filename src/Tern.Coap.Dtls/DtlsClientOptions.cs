using Microsoft.Extensions.Logging;
using Org.BouncyCastle.X509;

namespace Tern.Coap.Dtls;

/// <summary>
/// Settings of a <see cref="DtlsClientTransport"/>: exactly one of PSK (<see cref="PskIdentity"/> and
/// <see cref="PskKey"/>) or certificate (<see cref="Certificate"/>) credentials, and how to trust the server.
/// </summary>
public sealed class DtlsClientOptions
{
    /// <summary>The PSK identity (LwM2M /0/x/3 in PSK mode), UTF-8 on the wire.</summary>
    public string? PskIdentity { get; init; }

    /// <summary>The pre-shared key (LwM2M /0/x/5 in PSK mode).</summary>
    public ReadOnlyMemory<byte> PskKey { get; init; }

    /// <summary>The client certificate chain and key (LwM2M /0/x/3 and /0/x/5 in certificate mode).</summary>
    public DtlsCertificateCredentials? Certificate { get; init; }

    /// <summary>The server certificate the client was given (LwM2M /0/x/4), interpreted per <see cref="CertificateUsage"/>.</summary>
    public X509Certificate? ServerCertificate { get; init; }

    /// <summary>How <see cref="ServerCertificate"/> constrains the server's chain (LwM2M /0/x/15, default 3).</summary>
    public DtlsCertificateUsage CertificateUsage { get; init; } = DtlsCertificateUsage.DomainIssuedCertificate;

    /// <summary>Further trust anchors (used by usages 0 and 1, and by 2 in addition to <see cref="ServerCertificate"/>).</summary>
    public IReadOnlyList<X509Certificate> TrustedCertificates { get; init; } = [];

    /// <summary>
    /// The host name the server certificate must be issued for (subjectAltName dNSName, or CN when there is none).
    /// Null skips the check. Never checked for usage 3, where the certificate itself is pinned.
    /// </summary>
    public string? ServerName { get; init; }

    /// <summary>Cipher suites to offer, in preference order; null offers every suite of the configured mode.</summary>
    public IReadOnlyList<DtlsCipherSuite>? CipherSuites { get; init; }

    /// <summary>A handshake that has not completed after this long fails with <see cref="DtlsErrorKind.HandshakeTimeout"/>.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// After this long without traffic in either direction the session is closed (close_notify); the next send
    /// opens a new one, resuming the old session when the server allows it. Null keeps sessions open.
    /// </summary>
    public TimeSpan? IdleTimeout { get; init; }

    /// <summary>The largest CoAP message carried; DTLS adds its record overhead on top.</summary>
    public int MaxDatagramSize { get; init; } = 1152;

    /// <summary>The clock for handshake deadlines and idle timeouts. BouncyCastle's own retransmission timers use real time.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Optional logger.</summary>
    public ILogger? Logger { get; init; }

    internal bool UsesPsk => PskIdentity is not null;

    internal IReadOnlyList<DtlsCipherSuite> EffectiveCipherSuites =>
        CipherSuites ?? (UsesPsk
            ? [DtlsCipherSuite.PskWithAes128Ccm8, DtlsCipherSuite.PskWithAes128CbcSha256]
            : [DtlsCipherSuite.EcdheEcdsaWithAes128Ccm8, DtlsCipherSuite.EcdheEcdsaWithAes128GcmSha256]);

    /// <summary>Throws <see cref="ArgumentException"/> describing the first inconsistent setting.</summary>
    public void Validate()
    {
        bool psk = PskIdentity is not null || !PskKey.IsEmpty;
        if (psk == (Certificate is not null))
        {
            throw new ArgumentException("Configure exactly one of PSK (PskIdentity and PskKey) or Certificate.");
        }

        if (psk && (string.IsNullOrEmpty(PskIdentity) || PskKey.IsEmpty))
        {
            throw new ArgumentException("PSK mode needs both a non-empty PskIdentity and a non-empty PskKey.");
        }

        if (!psk && ServerCertificate is null && TrustedCertificates.Count == 0)
        {
            throw new ArgumentException("Certificate mode needs ServerCertificate or TrustedCertificates to authenticate the server.");
        }

        if (!psk && CertificateUsage is DtlsCertificateUsage.ServiceCertificateConstraint or DtlsCertificateUsage.DomainIssuedCertificate
            && ServerCertificate is null)
        {
            throw new ArgumentException($"Certificate usage {CertificateUsage} pins ServerCertificate, which is not set.");
        }

        foreach (DtlsCipherSuite suite in EffectiveCipherSuites)
        {
            if (DtlsSuites.IsPsk(suite) != psk)
            {
                throw new ArgumentException($"Cipher suite {suite} does not match the configured {(psk ? "PSK" : "certificate")} mode.");
            }
        }

        if (HandshakeTimeout <= TimeSpan.Zero || IdleTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("HandshakeTimeout and IdleTimeout must be positive.");
        }

        if (MaxDatagramSize is < 64 or > 16384)
        {
            throw new ArgumentException("MaxDatagramSize must be between 64 and 16384 bytes.");
        }
    }
}
