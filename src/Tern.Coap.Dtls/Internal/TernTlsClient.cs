using System.Text;
using Org.BouncyCastle.Crypto.Tls;

namespace Tern.Coap.Dtls.Internal;

/// <summary>
/// Tern's DTLS 1.2 client, for both credential kinds: with a PSK identity in the options it offers Tern's PSK suites and
/// runs a PSK key exchange; otherwise it offers the ECDHE_ECDSA suites and validates the server certificate per the
/// LwM2M certificate usage. Either way it reports the handshake (offered and selected session, suite, alerts) to the
/// <see cref="HandshakeMonitor"/> and wraps the record cipher in a <see cref="GuardedCipher"/>.
/// </summary>
internal sealed class TernTlsClient : AbstractTlsClient
{
    private readonly DtlsClientOptions _options;
    private readonly HandshakeMonitor _monitor;
    private readonly TlsSession? _resume;
    private readonly TlsPskIdentity? _psk;

    public TernTlsClient(DtlsClientOptions options, HandshakeMonitor monitor, TlsSession? resume)
        : base(new ResettingCipherFactory())
    {
        _options = options;
        _monitor = monitor;
        _resume = resume;
        _psk = options.UsesPsk ? new BasicTlsPskIdentity(Encoding.UTF8.GetBytes(options.PskIdentity!), options.PskKey.ToArray()) : null;
    }

    public override ProtocolVersion ClientVersion => ProtocolVersion.DTLSv12;

    public override ProtocolVersion MinimumVersion => ProtocolVersion.DTLSv12;

    public override int[] GetCipherSuites() => DtlsSuites.ToBouncyCastle(_options.EffectiveCipherSuites, psk: _psk is not null);

    public override TlsKeyExchange GetKeyExchange()
    {
        int algorithm = TlsUtilities.GetKeyExchangeAlgorithm(mSelectedCipherSuite);
        return (algorithm, _psk) switch
        {
            (KeyExchangeAlgorithm.PSK or KeyExchangeAlgorithm.DHE_PSK or KeyExchangeAlgorithm.ECDHE_PSK or KeyExchangeAlgorithm.RSA_PSK, { } psk) => new TlsPskKeyExchange(algorithm,
                mSupportedSignatureAlgorithms, psk, null, new DefaultTlsDHVerifier(), null, mNamedCurves, mClientECPointFormats, mServerECPointFormats),
            (KeyExchangeAlgorithm.ECDHE_ECDSA, null) => new TlsECDheKeyExchange(algorithm,
                mSupportedSignatureAlgorithms, mNamedCurves, mClientECPointFormats, mServerECPointFormats),
            _ => throw new TlsFatalAlert(AlertDescription.internal_error),
        };
    }

    public override TlsAuthentication GetAuthentication() =>
        _psk is null ? new CertificateAuthentication(this) : throw new TlsFatalAlert(AlertDescription.internal_error);

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
        if (_psk is not null)
        {
            _monitor.PskIdentity = _options.PskIdentity;
        }

        _monitor.ResumableSession = mContext.ResumableSession;
    }

    public override TlsCipher GetCipher() => _monitor.Cipher = new GuardedCipher(base.GetCipher(), _monitor);

    public override void NotifyAlertReceived(byte alertLevel, byte alertDescription) =>
        _monitor.OnAlertReceived(alertLevel, alertDescription);

    public override void NotifyAlertRaised(byte alertLevel, byte alertDescription, string message, Exception cause) =>
        _monitor.OnAlertRaised(alertLevel, alertDescription, message);

    private sealed class CertificateAuthentication(TernTlsClient owner) : TlsAuthentication
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
