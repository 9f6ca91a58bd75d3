using System.Security.Cryptography;
using Org.BouncyCastle.X509;
using Tern.Coap.Dtls.Internal;

namespace Tern.Coap.Dtls.Native;

/// <content>
/// The ECDHE_ECDSA key exchange on secp256r1 (RFC 8422 §2.2, §5; RFC 7251 for CCM_8): the server's chain, an ephemeral
/// point signed with its key over client_random ‖ server_random ‖ params, and with <see cref="DtlsServerOptions.RequireClientCertificate"/>
/// a CertificateRequest; the client answers with its chain (validated against <see cref="DtlsServerOptions.TrustedClientCertificates"/>),
/// its point, and a CertificateVerify signature over the transcript through ClientKeyExchange. Everything the client sends
/// is checked before use; a bad chain, point or signature ends the handshake with a typed error and a fatal alert.
/// </content>
internal sealed partial class NativeConnection
{
    private ECDiffieHellman? _ephemeral;
    private ECDsa? _clientKey;

    /// <summary>The client's certificate chain, leaf first, once it validated (certificate suites with a client certificate).</summary>
    public X509Certificate[]? ClientChain { get; private set; }

    private void StartEcdhe(ClientHello hello)
    {
        string? missing = !hello.OffersSecp256r1 ? "the secp256r1 curve"
            : !hello.OffersUncompressedPoints ? "uncompressed points"
            : !hello.OffersEcdsaSha256 ? "ecdsa_secp256r1_sha256 signatures" : null;
        if (missing is not null)
        {
            Fail(new DtlsException(DtlsErrorKind.HandshakeFailure,
                $"The client offers {CipherSuite} without {missing}, which this server needs for it.", null, 40), sendAlert: 40);
            return;
        }

        ServerCertificateKeys keys = _engine.CertificateKeys!;
        _sessionId = NewSessionId();
        _ephemeral = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        ECParameters own = _ephemeral.ExportParameters(includePrivateParameters: false);
        byte[] parameters = ServerMessages.EcdhParameters([4, .. own.Q.X!, .. own.Q.Y!]);
        byte[] signature = keys.Signer.SignData([.. _clientRandom, .. _serverRandom, .. parameters], HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        bool requestCertificate = _engine.Options.RequireClientCertificate;
        var flight = new List<FlightMessage>(5)
        {
            Handshake(HandshakeMessage.ServerHello, ServerMessages.ServerHello(_serverRandom, _sessionId, _suite, hello.OffersSecureRenegotiation,
                _extendedMasterSecret, pointFormats: hello.PointFormats is not null)),
            Handshake(HandshakeMessage.Certificate, keys.CertificateMessage),
            Handshake(HandshakeMessage.ServerKeyExchange, ServerMessages.EcdheServerKeyExchange(parameters, signature)),
        };
        if (requestCertificate)
        {
            flight.Add(Handshake(HandshakeMessage.CertificateRequest, ServerMessages.CertificateRequest()));
        }

        SendFirstFlight(flight, requestCertificate ? State.AwaitingClientCertificate : State.AwaitingClientKeyExchange);
    }

    private void OnClientCertificate(byte[] body)
    {
        List<byte[]>? ders = ServerMessages.CertificateList(body);
        if (ders is null)
        {
            Fail(new DtlsException(DtlsErrorKind.ProtocolError, "Malformed client Certificate message.", null, 50), sendAlert: 50);
            return;
        }

        if (ders.Count == 0)
        {
            Fail(new DtlsException(DtlsErrorKind.CertificateRequired, "The client presented no certificate.", null, 40), sendAlert: 40);
            return;
        }

        X509Certificate[]? chain = ParseChain(ders);
        if (chain is null)
        {
            Fail(new DtlsException(DtlsErrorKind.UntrustedCertificate, "The client's certificate could not be parsed.", null, 42), sendAlert: 42);
            return;
        }

        DateTime now = _engine.Options.TimeProvider.GetUtcNow().UtcDateTime;
        if (ValidateClientChain(chain) is { } failure)
        {
            byte alert = chain.Any(c => now < c.NotBefore || now > c.NotAfter) ? (byte)45 : (byte)48; // certificate_expired, else unknown_ca
            Fail(new DtlsException(DtlsErrorKind.UntrustedCertificate, failure, null, alert), sendAlert: alert);
            return;
        }

        _clientKey = EcdsaKeys.VerifierOf(chain[0]);
        if (_clientKey is null)
        {
            Fail(new DtlsException(DtlsErrorKind.UntrustedCertificate, "The client's certificate does not hold a secp256r1 ECDSA key.", null, 43), sendAlert: 43);
            return;
        }

        ClientChain = chain;
        Accept(HandshakeMessage.Certificate, body);
        _state = State.AwaitingClientKeyExchange;
    }

    private void OnEcdheClientKeyExchange(byte[] body)
    {
        byte[]? premaster = ServerMessages.EcdhPublicPoint(body) is { } point ? Agree(point) : null;
        if (premaster is null)
        {
            Fail(new DtlsException(DtlsErrorKind.ProtocolError, "The client's ClientKeyExchange holds no valid uncompressed secp256r1 point.", null, 47),
                sendAlert: 47);
            return;
        }

        Accept(HandshakeMessage.ClientKeyExchange, body);
        DeriveMasterSecret(premaster);
        _ephemeral?.Dispose();
        _ephemeral = null;
        _state = _clientKey is null ? State.AwaitingChangeCipherSpec : State.AwaitingCertificateVerify;
    }

    private void OnCertificateVerify(byte[] body)
    {
        byte[]? signature = ServerMessages.CertificateVerifySignature(body, out ushort algorithm);
        if (signature is null)
        {
            Fail(new DtlsException(DtlsErrorKind.ProtocolError, "Malformed CertificateVerify.", null, 50), sendAlert: 50);
            return;
        }

        // The client signs the hash of every handshake message before this one (RFC 5246 §7.4.8).
        if (algorithm != ClientHello.EcdsaSecp256r1Sha256 || !VerifyTranscript(signature))
        {
            Fail(new DtlsException(DtlsErrorKind.DecryptError,
                "The client's CertificateVerify does not verify with its certificate's key: it does not hold that key.", null, 51), sendAlert: 51);
            return;
        }

        Accept(HandshakeMessage.CertificateVerify, body);
        _state = State.AwaitingChangeCipherSpec;
    }

    private bool VerifyTranscript(byte[] signature)
    {
        try
        {
            return _clientKey!.VerifyHash(_transcript.GetCurrentHash(), signature, DSASignatureFormat.Rfc3279DerSequence);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            return false;
        }
    }

    /// <summary>The x coordinate of the shared point (RFC 8422 §5.10); null when X ‖ Y is not a point of secp256r1.</summary>
    private byte[]? Agree(byte[] xy)
    {
        try
        {
            using ECDiffieHellman peer = ECDiffieHellman.Create(new ECParameters
            {
                Curve = ECCurve.NamedCurves.nistP256,
                Q = new ECPoint { X = xy[..32], Y = xy[32..] },
            });
            return _ephemeral!.DeriveRawSecretAgreement(peer.PublicKey);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            return null; // not on the curve, or the point at infinity
        }
    }

    private static X509Certificate[]? ParseChain(List<byte[]> ders)
    {
        var parser = new X509CertificateParser();
        var chain = new X509Certificate[ders.Count];
        for (int i = 0; i < ders.Count; i++)
        {
            try
            {
                if (parser.ReadCertificate(ders[i]) is not { } certificate)
                {
                    return null;
                }

                // BouncyCastle decodes some fields only when first read: read them here, where a bad one means "not a certificate".
                _ = (certificate.NotBefore, certificate.NotAfter, certificate.SubjectDN, certificate.IssuerDN, certificate.GetPublicKey());
                chain[i] = certificate;
            }
#pragma warning disable CA1031 // BouncyCastle throws assorted exceptions on hostile DER; each means "not a certificate".
            catch (Exception)
#pragma warning restore CA1031
            {
                return null;
            }
        }

        return chain;
    }

    /// <summary>
    /// <see cref="CertificateValidator.ValidateClient"/> at the engine's time; null when the chain is accepted. Whatever a hostile
    /// chain makes BouncyCastle throw while it is checked is a refusal, never an exception out of the receive loop.
    /// </summary>
    private string? ValidateClientChain(X509Certificate[] chain)
    {
        try
        {
            return CertificateValidator.ValidateClient(chain, _engine.Options, _engine.Options.TimeProvider.GetUtcNow().UtcDateTime);
        }
#pragma warning disable CA1031 // See above: any failure while checking a client's chain refuses it.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return "The client's certificate chain could not be checked: " + e.Message;
        }
    }

    /// <summary>Frees the key-exchange keys once the handshake ended either way.</summary>
    private void ReleaseKeyExchange()
    {
        _ephemeral?.Dispose();
        _ephemeral = null;
        _clientKey?.Dispose();
        _clientKey = null;
    }
}
