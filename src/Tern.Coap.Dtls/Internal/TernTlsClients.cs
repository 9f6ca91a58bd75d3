using System.Text;
using Org.BouncyCastle.Crypto.Tls;

namespace Tern.Coap.Dtls.Internal;

/// <summary>The PSK client side: BouncyCastle's PSK client restricted to DTLS 1.2 and Tern's suites.</summary>
internal sealed class TernPskTlsClient : PskTlsClient
{
    private readonly DtlsClientOptions _options;
    private readonly HandshakeMonitor _monitor;
    private readonly TlsSession? _resume;

    public TernPskTlsClient(DtlsClientOptions options, HandshakeMonitor monitor, TlsSession? resume)
        : base(new DefaultTlsCipherFactory(), new BasicTlsPskIdentity(Encoding.UTF8.GetBytes(options.PskIdentity!), options.PskKey.ToArray()))
    {
        _options = options;
        _monitor = monitor;
        _resume = resume;
    }

    public override ProtocolVersion ClientVersion => ProtocolVersion.DTLSv12;

    public override ProtocolVersion MinimumVersion => ProtocolVersion.DTLSv12;

    public override int[] GetCipherSuites() => DtlsSuites.ToBouncyCastle(_options.EffectiveCipherSuites, psk: true);

    public override TlsSession? GetSessionToResume()
    {
        _monitor.OfferedSessionId = _resume?.SessionID;
        return _resume;
    }

    public override void NotifySessionID(byte[] sessionID)
    {
        base.NotifySessionID(sessionID);
        _monitor.SelectedSessionId = sessionID;
    }

    public override void NotifySelectedCipherSuite(int selectedCipherSuite)
    {
        base.NotifySelectedCipherSuite(selectedCipherSuite);
        _monitor.SelectedCipherSuite = selectedCipherSuite;
    }

    public override void NotifyHandshakeComplete()
    {
        base.NotifyHandshakeComplete();
        _monitor.PskIdentity = _options.PskIdentity;
        _monitor.ResumableSession = mContext.ResumableSession;
    }

    public override TlsCipher GetCipher() => _monitor.Cipher = new GuardedCipher(base.GetCipher(), _monitor);

    public override void NotifyAlertReceived(byte alertLevel, byte alertDescription) =>
        _monitor.OnAlertReceived(alertLevel, alertDescription);

    public override void NotifyAlertRaised(byte alertLevel, byte alertDescription, string message, Exception cause) =>
        _monitor.OnAlertRaised(alertLevel, alertDescription, message);
}

/// <summary>The certificate client side: ECDHE_ECDSA suites, server validation per LwM2M certificate usage.</summary>
internal sealed class TernCertificateTlsClient : DefaultTlsClient
{
    private readonly DtlsClientOptions _options;
    private readonly HandshakeMonitor _monitor;
    private readonly TlsSession? _resume;

    public TernCertificateTlsClient(DtlsClientOptions options, HandshakeMonitor monitor, TlsSession? resume)
    {
        _options = options;
        _monitor = monitor;
        _resume = resume;
    }

    public override ProtocolVersion ClientVersion => ProtocolVersion.DTLSv12;

    public override ProtocolVersion MinimumVersion => ProtocolVersion.DTLSv12;

    public override int[] GetCipherSuites() => DtlsSuites.ToBouncyCastle(_options.EffectiveCipherSuites, psk: false);

    public override TlsSession? GetSessionToResume()
    {
        _monitor.OfferedSessionId = _resume?.SessionID;
        return _resume;
    }

    public override void NotifySessionID(byte[] sessionID)
    {
        base.NotifySessionID(sessionID);
        _monitor.SelectedSessionId = sessionID;
    }

    public override void NotifySelectedCipherSuite(int selectedCipherSuite)
    {
        base.NotifySelectedCipherSuite(selectedCipherSuite);
        _monitor.SelectedCipherSuite = selectedCipherSuite;
    }

    public override void NotifyHandshakeComplete()
    {
        base.NotifyHandshakeComplete();
        _monitor.ResumableSession = mContext.ResumableSession;
    }

    public override TlsCipher GetCipher() => _monitor.Cipher = new GuardedCipher(base.GetCipher(), _monitor);

    public override TlsAuthentication GetAuthentication() => new Authentication(this);

    public override void NotifyAlertReceived(byte alertLevel, byte alertDescription) =>
        _monitor.OnAlertReceived(alertLevel, alertDescription);

    public override void NotifyAlertRaised(byte alertLevel, byte alertDescription, string message, Exception cause) =>
        _monitor.OnAlertRaised(alertLevel, alertDescription, message);

    private sealed class Authentication(TernCertificateTlsClient owner) : TlsAuthentication
    {
        public void NotifyServerCertificate(Certificate serverCertificate)
        {
            var chain = CertificateValidator.ToChain(serverCertificate);
            var failure = CertificateValidator.ValidateServer(chain, owner._options, owner._options.TimeProvider.GetUtcNow().UtcDateTime);
            if (failure is { } f)
            {
                owner._monitor.FailValidation(f.Kind, f.Message);
                throw new TlsFatalAlert(f.Kind == DtlsErrorKind.CertificateRequired ? AlertDescription.bad_certificate : AlertDescription.unknown_ca);
            }

            owner._monitor.PeerCertificate = chain[0];
        }

        public TlsCredentials? GetClientCredentials(CertificateRequest certificateRequest)
        {
            DtlsCertificateCredentials? own = owner._options.Certificate;
            if (own is null)
            {
                return null;
            }

            var chain = new Certificate([.. own.Chain.Select(c => c.CertificateStructure)]);
            return new DefaultTlsSignerCredentials(owner.mContext, chain, own.PrivateKey,
                new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
        }
    }
}
