using System.Collections;
using System.Text;
using Org.BouncyCastle.Crypto.Tls;

namespace Tern.Coap.Dtls.Internal;

/// <summary>
/// The server side of one handshake: PSK suites through the PSK store, ECDHE_ECDSA suites with the server
/// certificate and (optionally) a required, validated client certificate.
/// </summary>
internal sealed class TernTlsServer : PskTlsServer
{
    private readonly DtlsServerOptions _options;
    private readonly HandshakeMonitor _monitor;

    public TernTlsServer(DtlsServerOptions options, HandshakeMonitor monitor)
        : base(new ResettingCipherFactory(), new PskManager(options, monitor))
    {
        _options = options;
        _monitor = monitor;
    }

    protected override ProtocolVersion MinimumVersion => ProtocolVersion.DTLSv12;

    protected override ProtocolVersion MaximumVersion => ProtocolVersion.DTLSv12;

    private bool CertificateSuiteSelected => !DtlsSuites.IsPsk((DtlsCipherSuite)mSelectedCipherSuite);

    protected override int[] GetCipherSuites() => [.. _options.EffectiveCipherSuites.Select(s => (int)s)];

    public override int GetHandshakeTimeoutMillis() => (int)Math.Min(int.MaxValue, _options.HandshakeTimeout.TotalMilliseconds);

    public override int GetSelectedCipherSuite()
    {
        int suite = base.GetSelectedCipherSuite();
        _monitor.SelectedCipherSuite = suite;
        return suite;
    }

    public override TlsCredentials? GetCredentials()
    {
        if (!CertificateSuiteSelected)
        {
            return base.GetCredentials();
        }

        DtlsCertificateCredentials own = _options.Certificate!;
        var chain = new Certificate([.. own.Chain.Select(c => c.CertificateStructure)]);
        return new DefaultTlsSignerCredentials(mContext, chain, own.PrivateKey,
            new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
    }

    public override TlsKeyExchange GetKeyExchange() =>
        CertificateSuiteSelected
            ? new TlsECDheKeyExchange(KeyExchangeAlgorithm.ECDHE_ECDSA, mSupportedSignatureAlgorithms, mNamedCurves,
                mClientECPointFormats, mServerECPointFormats)
            : base.GetKeyExchange();

    public override CertificateRequest? GetCertificateRequest()
    {
        if (!CertificateSuiteSelected || !_options.RequireClientCertificate)
        {
            return null;
        }

        IList algorithms = new ArrayList { new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa) };
        return new CertificateRequest([ClientCertificateType.ecdsa_sign], algorithms, null);
    }

    public override void NotifyClientCertificate(Certificate clientCertificate)
    {
        var chain = CertificateValidator.ToChain(clientCertificate);
        string? failure = CertificateValidator.ValidateClient(chain, _options, _options.TimeProvider.GetUtcNow().UtcDateTime);
        if (failure is not null)
        {
            _monitor.FailValidation(chain.Length == 0 ? DtlsErrorKind.CertificateRequired : DtlsErrorKind.UntrustedCertificate, failure);
            throw new TlsFatalAlert(chain.Length == 0 ? AlertDescription.handshake_failure : AlertDescription.unknown_ca);
        }

        _monitor.PeerCertificate = chain[0];
    }

    public override TlsCipher GetCipher() => _monitor.Cipher = new GuardedCipher(base.GetCipher(), _monitor);

    public override void NotifyAlertReceived(byte alertLevel, byte alertDescription) =>
        _monitor.OnAlertReceived(alertLevel, alertDescription);

    public override void NotifyAlertRaised(byte alertLevel, byte alertDescription, string message, Exception cause) =>
        _monitor.OnAlertRaised(alertLevel, alertDescription, message);

    private sealed class PskManager(DtlsServerOptions options, HandshakeMonitor monitor) : TlsPskIdentityManager
    {
        public byte[]? GetHint() => options.PskIdentityHint is null ? null : Encoding.UTF8.GetBytes(options.PskIdentityHint);

        public byte[]? GetPsk(byte[] identity)
        {
            string name = Encoding.UTF8.GetString(identity);
            byte[]? key = options.PskStore?.GetKey(name);
            if (key is not null)
            {
                monitor.PskIdentity = name;
            }

            // BouncyCastle zeroes the key array once the premaster secret is derived: hand it a copy.
            return (byte[]?)key?.Clone();
        }
    }
}
