using Org.BouncyCastle.Crypto.Tls;
using Org.BouncyCastle.X509;

namespace Tern.Coap.Dtls.Internal;

/// <summary>What one handshake and its session saw: alerts, validation failures, the peer's identity.</summary>
internal sealed class HandshakeMonitor
{
    public int DecryptFailures;
    public byte? AlertReceived;
    public byte? AlertRaised;
    public string? AlertRaisedMessage;
    public DtlsErrorKind? ValidationFailure;
    public string? ValidationMessage;
    public volatile bool CloseNotifyReceived;
    public string? PskIdentity;
    public X509Certificate? PeerCertificate;
    public int SelectedCipherSuite;
    public byte[]? OfferedSessionId;
    public byte[]? SelectedSessionId;
    public TlsSession? ResumableSession;
    public GuardedCipher? Cipher;

    public bool Resumed =>
        OfferedSessionId is { Length: > 0 } && SelectedSessionId is not null && OfferedSessionId.AsSpan().SequenceEqual(SelectedSessionId);

    public void OnAlertReceived(byte level, byte description)
    {
        if (description == AlertDescription.close_notify)
        {
            CloseNotifyReceived = true;
        }
        else if (level == AlertLevel.fatal)
        {
            AlertReceived = description;
        }
    }

    public void OnAlertRaised(byte level, byte description, string? message)
    {
        if (level == AlertLevel.fatal)
        {
            AlertRaised = description;
            AlertRaisedMessage = message;
        }
    }

    public void FailValidation(DtlsErrorKind kind, string message)
    {
        ValidationFailure = kind;
        ValidationMessage = message;
    }

    public DtlsPeerInfo ToPeerInfo() => new((DtlsCipherSuite)SelectedCipherSuite, PskIdentity, PeerCertificate);

    /// <summary>Turns whatever ended a handshake into a typed <see cref="DtlsException"/>.</summary>
    public DtlsException ToException(Exception error, bool timedOut, bool closed)
    {
        if (closed)
        {
            return new DtlsException(DtlsErrorKind.Closed, "The DTLS transport was closed during the handshake.", error);
        }

        if (ValidationFailure is { } kind)
        {
            return new DtlsException(kind, ValidationMessage ?? kind.ToString(), error, AlertRaised);
        }

        if (AlertReceived is { } received)
        {
            return FromAlert(received, "The peer refused the handshake", error);
        }

        if (DecryptFailures > 0)
        {
            return new DtlsException(DtlsErrorKind.DecryptError,
                "The peer's Finished could not be decrypted: the two sides do not share the same key.", error, AlertRaised);
        }

        if (timedOut && Cipher is not null)
        {
            return new DtlsException(DtlsErrorKind.HandshakeTimeout,
                "The DTLS handshake timed out after our Finished: the peer most likely could not verify it (a different PSK key?).", error);
        }

        if (timedOut)
        {
            return new DtlsException(DtlsErrorKind.HandshakeTimeout, "The DTLS handshake did not complete in time.", error);
        }

        if (error is TlsFatalAlert fatal)
        {
            return FromAlert(fatal.AlertDescription, "The handshake failed locally", error);
        }

        return new DtlsException(DtlsErrorKind.ProtocolError, "The DTLS handshake failed: " + error.Message, error);
    }

    private static DtlsException FromAlert(byte alert, string prefix, Exception error)
    {
        string name = AlertDescription.GetText(alert);
        DtlsErrorKind kind = alert switch
        {
            AlertDescription.unknown_psk_identity => DtlsErrorKind.UnknownPskIdentity,
            AlertDescription.bad_record_mac or AlertDescription.decrypt_error or AlertDescription.decryption_failed => DtlsErrorKind.DecryptError,
            AlertDescription.bad_certificate or AlertDescription.unknown_ca or AlertDescription.unsupported_certificate
                or AlertDescription.certificate_expired or AlertDescription.certificate_revoked
                or AlertDescription.certificate_unknown => DtlsErrorKind.UntrustedCertificate,
            AlertDescription.handshake_failure or AlertDescription.insufficient_security => DtlsErrorKind.HandshakeFailure,
            _ => DtlsErrorKind.AlertReceived,
        };
        return new DtlsException(kind, $"{prefix} with alert {name} ({alert}).", error, alert);
    }
}
