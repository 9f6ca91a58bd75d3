namespace Tern.Coap.Messages;

/// <summary>Why a datagram is not a well-formed CoAP message (RFC 7252 §3, §4.2, §4.3).</summary>
public enum CoapFormatError
{
    /// <summary>The message is well formed.</summary>
    None = 0,

    /// <summary>Fewer than four bytes: no complete header.</summary>
    TruncatedHeader,

    /// <summary>The version field is not 1.</summary>
    UnsupportedVersion,

    /// <summary>Token length 9–15, reserved by RFC 7252 §3.</summary>
    ReservedTokenLength,

    /// <summary>The datagram ends inside the token.</summary>
    TruncatedToken,

    /// <summary>An option delta nibble of 15 that is not the payload marker.</summary>
    ReservedOptionDelta,

    /// <summary>An option length nibble of 15.</summary>
    ReservedOptionLength,

    /// <summary>The datagram ends inside an option header or value.</summary>
    TruncatedOption,

    /// <summary>The option number grows past 65535.</summary>
    OptionNumberTooLarge,

    /// <summary>A payload marker followed by no payload (RFC 7252 §3).</summary>
    PayloadMarkerWithoutPayload,

    /// <summary>A 0.00 message with a token, options or payload (RFC 7252 §4.1 message format error).</summary>
    EmptyMessageNotEmpty,

    /// <summary>The message uses a reserved code class (1, 6 or 7).</summary>
    ReservedCodeClass,
}
