using Tern.Coap.Engine;

namespace Tern.Coap.Endpoint;

/// <summary>A CoAP exchange failed on the network or protocol level; <see cref="Kind"/> says how.</summary>
public sealed class CoapException : Exception
{
    /// <summary>Creates an exception with a kind and a message.</summary>
    public CoapException(CoapErrorKind kind, string message)
        : base(message) => Kind = kind;

    /// <summary>Creates an exception with the <see cref="CoapErrorKind.ProtocolError"/> kind.</summary>
    public CoapException()
        : this(CoapErrorKind.ProtocolError, "The CoAP exchange failed.")
    {
    }

    /// <summary>Creates an exception with the <see cref="CoapErrorKind.ProtocolError"/> kind.</summary>
    public CoapException(string message)
        : this(CoapErrorKind.ProtocolError, message)
    {
    }

    /// <summary>Creates an exception with the <see cref="CoapErrorKind.ProtocolError"/> kind and an inner exception.</summary>
    public CoapException(string message, Exception innerException)
        : base(message, innerException) => Kind = CoapErrorKind.ProtocolError;

    /// <summary>What went wrong.</summary>
    public CoapErrorKind Kind { get; }
}
