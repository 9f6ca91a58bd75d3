namespace Tern.Coap.Messages;

/// <summary>The four CoAP message types of RFC 7252 §3 (the 2-bit T field).</summary>
public enum CoapMessageType : byte
{
    /// <summary>A message that must be acknowledged (CON).</summary>
    Confirmable = 0,

    /// <summary>A message that needs no acknowledgement (NON).</summary>
    NonConfirmable = 1,

    /// <summary>An acknowledgement of a confirmable message (ACK).</summary>
    Acknowledgement = 2,

    /// <summary>A rejection of a message that could not be processed (RST).</summary>
    Reset = 3,
}
