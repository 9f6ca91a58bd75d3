namespace Tern.Coap.Dtls;

/// <summary>Why a DTLS handshake or session failed.</summary>
public enum DtlsErrorKind
{
    /// <summary>The handshake did not complete within <c>HandshakeTimeout</c> (no answer, or answers lost).</summary>
    HandshakeTimeout,

    /// <summary>
    /// A record protected with the negotiated keys could not be decrypted or its Finished did not verify:
    /// with PSK this almost always means the two sides hold different keys.
    /// </summary>
    DecryptError,

    /// <summary>The server does not know the PSK identity the client presented.</summary>
    UnknownPskIdentity,

    /// <summary>The peer's certificate did not validate against the configured trust (chain, pin, dates, usage).</summary>
    UntrustedCertificate,

    /// <summary>The server's certificate is valid but not issued for the host name the client expected.</summary>
    HostNameMismatch,

    /// <summary>The peer presented no certificate although one is required.</summary>
    CertificateRequired,

    /// <summary>The two sides share no cipher suite or security mode.</summary>
    HandshakeFailure,

    /// <summary>The requested security mode (raw public key, EST …) is not implemented by this transport.</summary>
    UnsupportedMode,

    /// <summary>The peer sent a fatal alert not covered by a more specific kind (see <see cref="DtlsException.AlertDescription"/>).</summary>
    AlertReceived,

    /// <summary>Some other protocol error inside the DTLS implementation.</summary>
    ProtocolError,

    /// <summary>The transport was disposed or the operation was cancelled.</summary>
    Closed,
}

/// <summary>A DTLS failure with a typed reason, thrown by handshakes and by sends on a failed session.</summary>
public sealed class DtlsException : Exception
{
    /// <summary>Creates an exception with a kind and message.</summary>
    public DtlsException(DtlsErrorKind kind, string message, Exception? innerException = null, int? alertDescription = null)
        : base(message, innerException)
    {
        Kind = kind;
        AlertDescription = alertDescription;
    }

    /// <summary>Creates an exception of kind <see cref="DtlsErrorKind.ProtocolError"/>.</summary>
    public DtlsException()
        : this(DtlsErrorKind.ProtocolError, "DTLS protocol error.")
    {
    }

    /// <summary>Creates an exception of kind <see cref="DtlsErrorKind.ProtocolError"/>.</summary>
    public DtlsException(string message)
        : this(DtlsErrorKind.ProtocolError, message)
    {
    }

    /// <summary>Creates an exception of kind <see cref="DtlsErrorKind.ProtocolError"/>.</summary>
    public DtlsException(string message, Exception innerException)
        : this(DtlsErrorKind.ProtocolError, message, innerException)
    {
    }

    /// <summary>The reason.</summary>
    public DtlsErrorKind Kind { get; }

    /// <summary>The TLS alert description (RFC 5246 §7.2) sent or received, when one was involved.</summary>
    public int? AlertDescription { get; }
}
