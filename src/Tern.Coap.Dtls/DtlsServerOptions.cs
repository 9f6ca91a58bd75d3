using Microsoft.Extensions.Logging;
using Org.BouncyCastle.X509;

namespace Tern.Coap.Dtls;

/// <summary>
/// Settings of a <see cref="DtlsServerTransport"/>. PSK (<see cref="PskStore"/>) and certificates
/// (<see cref="Certificate"/>) may be enabled together; the client's offered suites pick the mode.
/// </summary>
public sealed class DtlsServerOptions
{
    /// <summary>Resolves PSK identities to keys; null disables the PSK suites.</summary>
    public IDtlsPskStore? PskStore { get; init; }

    /// <summary>The PSK identity hint sent in ServerKeyExchange; null sends none.</summary>
    public string? PskIdentityHint { get; init; }

    /// <summary>The server certificate chain and key; null disables the certificate suites.</summary>
    public DtlsCertificateCredentials? Certificate { get; init; }

    /// <summary>
    /// When true (the default with a certificate) the server requests a client certificate and refuses clients
    /// whose chain does not validate to <see cref="TrustedClientCertificates"/>.
    /// </summary>
    public bool RequireClientCertificate { get; init; } = true;

    /// <summary>Anchors (CA certificates, or pinned client certificates) that client chains must validate to.</summary>
    public IReadOnlyList<X509Certificate> TrustedClientCertificates { get; init; } = [];

    /// <summary>Cipher suites to accept, in preference order; null accepts every suite of the enabled modes, the LwM2M-mandatory CCM_8 suites first.</summary>
    public IReadOnlyList<DtlsCipherSuite>? CipherSuites { get; init; }

    /// <summary>A handshake that has not completed after this long is abandoned and its state freed.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Sessions without traffic for this long are closed with close_notify and forgotten. Null keeps them.</summary>
    public TimeSpan? IdleTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>At most this many handshakes run at once; ClientHellos beyond it are dropped unanswered.</summary>
    public int MaxConcurrentHandshakes { get; init; } = 32;

    /// <summary>At most this many peers (established and handshaking) are kept; new ClientHellos beyond it are dropped.</summary>
    public int MaxSessions { get; init; } = 10_000;

    /// <summary>The largest CoAP message carried.</summary>
    public int MaxDatagramSize { get; init; } = 1152;

    /// <summary>The clock for handshake deadlines and idle timeouts. BouncyCastle's own retransmission timers use real time.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>
    /// When true (the default) PSK handshakes that settle on TLS_PSK_WITH_AES_128_CCM_8 run on Tern's own DTLS engine, which
    /// answers ClientHellos with a stateless HelloVerifyRequest cookie and resumes cached sessions. Clients that offer only
    /// other suites stay on BouncyCastle, which sends no cookie and never resumes (certificates: <see cref="UseNativeCertificates"/>).
    /// </summary>
    public bool UseNativePsk { get; init; } = true;

    /// <summary>
    /// When true (the default) certificate handshakes that settle on TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8 or
    /// TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 run on Tern's own DTLS engine, like PSK ones with <see cref="UseNativePsk"/>:
    /// stateless HelloVerifyRequest cookies, session resumption and the handshake limit. Needs a secp256r1 key in
    /// <see cref="Certificate"/>; with another key, or when false, certificate handshakes stay on BouncyCastle.
    /// </summary>
    public bool UseNativeCertificates { get; init; } = true;

    /// <summary>How often the secret behind HelloVerifyRequest cookies changes; a cookie stays valid for one to two periods.</summary>
    public TimeSpan CookieSecretRotation { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>At most this many sessions are kept for resumption (least recently used evicted first); 0 disables resumption.</summary>
    public int SessionCacheSize { get; init; } = 10_000;

    /// <summary>A session can be resumed for this long after its full handshake.</summary>
    public TimeSpan SessionLifetime { get; init; } = TimeSpan.FromHours(24);

    /// <summary>Optional logger.</summary>
    public ILogger? Logger { get; init; }

    internal IReadOnlyList<DtlsCipherSuite> EffectiveCipherSuites =>
        CipherSuites ?? [.. PreferenceOrder.Where(s => DtlsSuites.IsPsk(s) ? PskStore is not null : Certificate is not null)];

    // The LwM2M-mandatory CCM_8 suites first: enum order is by IANA number, which would put PSK CBC first.
    private static readonly DtlsCipherSuite[] PreferenceOrder =
    [
        DtlsCipherSuite.PskWithAes128Ccm8, DtlsCipherSuite.PskWithAes128CbcSha256,
        DtlsCipherSuite.EcdheEcdsaWithAes128Ccm8, DtlsCipherSuite.EcdheEcdsaWithAes128GcmSha256,
    ];

    /// <summary>Throws <see cref="ArgumentException"/> describing the first inconsistent setting.</summary>
    public void Validate()
    {
        if (PskStore is null && Certificate is null)
        {
            throw new ArgumentException("Configure a PskStore, a Certificate, or both.");
        }

        if (Certificate is not null && RequireClientCertificate && TrustedClientCertificates.Count == 0)
        {
            throw new ArgumentException("RequireClientCertificate needs TrustedClientCertificates to validate clients against.");
        }

        foreach (DtlsCipherSuite suite in EffectiveCipherSuites)
        {
            if (DtlsSuites.IsPsk(suite) ? PskStore is null : Certificate is null)
            {
                throw new ArgumentException($"Cipher suite {suite} needs {(DtlsSuites.IsPsk(suite) ? "a PskStore" : "a Certificate")}.");
            }
        }

        if (HandshakeTimeout <= TimeSpan.Zero || IdleTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("HandshakeTimeout and IdleTimeout must be positive.");
        }

        if (MaxConcurrentHandshakes < 1 || MaxSessions < 1)
        {
            throw new ArgumentException("MaxConcurrentHandshakes and MaxSessions must be at least 1.");
        }

        if (CookieSecretRotation <= TimeSpan.Zero || SessionLifetime <= TimeSpan.Zero)
        {
            throw new ArgumentException("CookieSecretRotation and SessionLifetime must be positive.");
        }

        if (SessionCacheSize < 0)
        {
            throw new ArgumentException("SessionCacheSize must be 0 (no resumption) or more.");
        }

        if (PskIdentityHint is not null && System.Text.Encoding.UTF8.GetByteCount(PskIdentityHint) > 1024)
        {
            throw new ArgumentException("PskIdentityHint must be at most 1024 bytes in UTF-8.");
        }

        if (MaxDatagramSize is < 64 or > 16384)
        {
            throw new ArgumentException("MaxDatagramSize must be between 64 and 16384 bytes.");
        }
    }
}
