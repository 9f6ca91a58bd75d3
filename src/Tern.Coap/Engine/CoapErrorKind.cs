namespace Tern.Coap.Engine;

/// <summary>Why an exchange ended without a response.</summary>
public enum CoapErrorKind
{
    /// <summary>No acknowledgement after MAX_RETRANSMIT retransmissions, or no response within the response timeout.</summary>
    Timeout = 1,

    /// <summary>The peer rejected the message with RST.</summary>
    Reset,

    /// <summary>The application cancelled the exchange, or the endpoint was disposed.</summary>
    Cancelled,

    /// <summary>A body exceeded the configured maximum size, or a message did not fit into a datagram.</summary>
    TooLarge,

    /// <summary>The peer's answer broke the protocol (e.g. an inconsistent block-wise transfer).</summary>
    ProtocolError,

    /// <summary>An engine cap (pending exchanges, observers) was reached; nothing was sent.</summary>
    CapacityExceeded,
}
