namespace Tern.Coap.Dtls;

/// <summary>The LwM2M Security object's mode (/0/x/2), as far as the transport is concerned.</summary>
public enum DtlsSecurityMode
{
    /// <summary>0: pre-shared key.</summary>
    PreSharedKey = 0,

    /// <summary>1: raw public key (RFC 7250). Not supported.</summary>
    RawPublicKey = 1,

    /// <summary>2: X.509 certificate.</summary>
    Certificate = 2,

    /// <summary>3: no security (plain CoAP over UDP, no DTLS).</summary>
    NoSec = 3,

    /// <summary>4: certificate with EST enrolment. Not supported.</summary>
    CertificateWithEst = 4,
}

/// <summary>Checks a Security object mode before any handshake is attempted.</summary>
public static class DtlsSecurityModes
{
    /// <summary>
    /// Throws <see cref="DtlsException"/> of kind <see cref="DtlsErrorKind.UnsupportedMode"/> for modes this
    /// transport cannot do (1 raw public key, 4 EST, and any unknown value), so a client fails at once with a
    /// clear reason instead of hanging in a handshake that cannot succeed.
    /// </summary>
    public static void EnsureSupported(int mode)
    {
        switch ((DtlsSecurityMode)mode)
        {
            case DtlsSecurityMode.PreSharedKey:
            case DtlsSecurityMode.Certificate:
            case DtlsSecurityMode.NoSec:
                return;
            case DtlsSecurityMode.RawPublicKey:
                throw new DtlsException(DtlsErrorKind.UnsupportedMode,
                    "Security mode 1 (raw public key) is not supported: BouncyCastle 1.8.10 has no RFC 7250 support. Use 0 (PSK) or 2 (certificate).");
            case DtlsSecurityMode.CertificateWithEst:
                throw new DtlsException(DtlsErrorKind.UnsupportedMode,
                    "Security mode 4 (certificate with EST) is not supported. Provision a certificate and use mode 2.");
            default:
                throw new DtlsException(DtlsErrorKind.UnsupportedMode, $"Security mode {mode} is not defined by LwM2M.");
        }
    }
}
