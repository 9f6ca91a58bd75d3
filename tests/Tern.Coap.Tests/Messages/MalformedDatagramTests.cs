using Tern.Coap.Messages;

namespace Tern.Coap.Tests.Messages;

/// <summary>
/// Datagrams that are not well-formed CoAP messages. Each row names the rule it breaks. The codec must
/// name the exact <see cref="CoapFormatError"/>, the zero-allocation reader must agree with it, and
/// where the header could be read the reader must still expose Type and Message ID, because the engine
/// answers a malformed CON with an RST carrying that MID (RFC 7252 §4.2).
///
/// Not here: "message too long". The codec decodes whatever the transport hands it; the size limit
/// (RFC 7252 §4.6) belongs to the transport and engine, which know their buffer and the path MTU.
/// </summary>
public class MalformedDatagramTests
{
    private const CoapMessageType Con = CoapMessageType.Confirmable;
    private const CoapMessageType Non = CoapMessageType.NonConfirmable;
    private const CoapMessageType Ack = CoapMessageType.Acknowledgement;
    private const CoapMessageType Rst = CoapMessageType.Reset;

    [Theory]
    // §3: the fixed header is 4 bytes; anything shorter has no header at all.
    [InlineData("", CoapFormatError.TruncatedHeader, null, null)]
    [InlineData("40", CoapFormatError.TruncatedHeader, null, null)]
    [InlineData("40 01", CoapFormatError.TruncatedHeader, null, null)]
    [InlineData("40 01 7d", CoapFormatError.TruncatedHeader, null, null)]
    // §3: "Implementations of this specification MUST set this field to 1"; unknown versions are
    // silently ignored, so the rest of the header means nothing and is not exposed.
    [InlineData("00 01 7d34", CoapFormatError.UnsupportedVersion, null, null)]
    [InlineData("80 01 7d34", CoapFormatError.UnsupportedVersion, null, null)]
    [InlineData("c0 01 7d34 b1 61", CoapFormatError.UnsupportedVersion, null, null)]
    // §3: token lengths 9–15 are reserved and "MUST be processed as a message format error".
    [InlineData("49 01 7d34 010203040506070809", CoapFormatError.ReservedTokenLength, Con, 0x7d34)]
    [InlineData("5c 01 7d35", CoapFormatError.ReservedTokenLength, Non, 0x7d35)]
    [InlineData("4f 45 7d36 ff 00", CoapFormatError.ReservedTokenLength, Con, 0x7d36)]
    // §3: the token is TKL bytes long; the datagram ends before it does.
    [InlineData("41 01 7d34", CoapFormatError.TruncatedToken, Con, 0x7d34)]
    [InlineData("42 01 7d34 aa", CoapFormatError.TruncatedToken, Con, 0x7d34)]
    [InlineData("68 45 1234 01020304050607", CoapFormatError.TruncatedToken, Ack, 0x1234)]
    // §3.1: delta nibble 15 is reserved for the payload marker; a byte 0xF0–0xFE is a format error.
    [InlineData("40 01 7d34 f0", CoapFormatError.ReservedOptionDelta, Con, 0x7d34)]
    [InlineData("40 01 7d34 b1 61 f1 00", CoapFormatError.ReservedOptionDelta, Con, 0x7d34)]
    [InlineData("40 01 7d34 fe", CoapFormatError.ReservedOptionDelta, Con, 0x7d34)]
    // §3.1: length nibble 15 is "reserved for future use" and must be processed as a format error.
    [InlineData("40 01 7d34 bf 61", CoapFormatError.ReservedOptionLength, Con, 0x7d34)]
    [InlineData("40 01 7d34 0f", CoapFormatError.ReservedOptionLength, Con, 0x7d34)]
    [InlineData("40 01 7d34 df 00", CoapFormatError.ReservedOptionLength, Con, 0x7d34)]
    // §3.1: delta 13 needs one extension byte, delta 14 two; the datagram ends first.
    [InlineData("40 01 7d34 d0", CoapFormatError.TruncatedOption, Con, 0x7d34)]
    [InlineData("40 01 7d34 e0", CoapFormatError.TruncatedOption, Con, 0x7d34)]
    [InlineData("40 01 7d34 e0 01", CoapFormatError.TruncatedOption, Con, 0x7d34)]
    // §3.1: the same for the length extension, which follows the delta extension.
    [InlineData("40 01 7d34 bd", CoapFormatError.TruncatedOption, Con, 0x7d34)]
    [InlineData("40 01 7d34 be 00", CoapFormatError.TruncatedOption, Con, 0x7d34)]
    [InlineData("40 01 7d34 dd 02", CoapFormatError.TruncatedOption, Con, 0x7d34)]
    // §3.1: the option value is shorter than its length says.
    [InlineData("40 01 7d34 b4 616263", CoapFormatError.TruncatedOption, Con, 0x7d34)]
    [InlineData("40 01 7d34 b1", CoapFormatError.TruncatedOption, Con, 0x7d34)]
    [InlineData("40 01 7d34 bd 00 61", CoapFormatError.TruncatedOption, Con, 0x7d34)]
    // §3.1 / §12.2: option numbers are 16-bit; deltas that sum past 65535 have no meaning.
    [InlineData("40 01 7d34 e0 ffff", CoapFormatError.OptionNumberTooLarge, Con, 0x7d34)]
    [InlineData("40 01 7d34 e0 fef2 10", CoapFormatError.OptionNumberTooLarge, Con, 0x7d34)]
    [InlineData("50 01 0102 e0 fe00 e0 0100", CoapFormatError.OptionNumberTooLarge, Non, 0x0102)]
    // §3: "The presence of a marker followed by a zero-length payload MUST be processed as a message format error."
    [InlineData("40 01 7d34 ff", CoapFormatError.PayloadMarkerWithoutPayload, Con, 0x7d34)]
    [InlineData("41 45 7d34 20 b1 61 ff", CoapFormatError.PayloadMarkerWithoutPayload, Con, 0x7d34)]
    // §4.1: an Empty message (0.00) has TKL 0 and no bytes after the MID; any are a format error.
    [InlineData("41 00 7d34 20", CoapFormatError.EmptyMessageNotEmpty, Con, 0x7d34)]
    [InlineData("61 00 7d34 20", CoapFormatError.EmptyMessageNotEmpty, Ack, 0x7d34)]
    [InlineData("70 00 7d34 b0", CoapFormatError.EmptyMessageNotEmpty, Rst, 0x7d34)]
    [InlineData("60 00 7d34 ff 00", CoapFormatError.EmptyMessageNotEmpty, Ack, 0x7d34)]
    [InlineData("40 00 7d34 b1 61 ff 00", CoapFormatError.EmptyMessageNotEmpty, Con, 0x7d34)]
    // §3 / §12.1: classes 1, 6 and 7 are reserved; §4.2 rejects a CON that uses one.
    [InlineData("40 20 7d34", CoapFormatError.ReservedCodeClass, Con, 0x7d34)]
    [InlineData("50 3f 7d34 ff 00", CoapFormatError.ReservedCodeClass, Non, 0x7d34)]
    [InlineData("40 c0 7d34 b1 61", CoapFormatError.ReservedCodeClass, Con, 0x7d34)]
    [InlineData("41 e5 7d34 20", CoapFormatError.ReservedCodeClass, Con, 0x7d34)]
    public void Malformed_datagram_is_reported_with_its_rule_and_keeps_the_header_when_readable(
        string hex, CoapFormatError expected, CoapMessageType? type, int? messageId)
    {
        byte[] datagram = Hex.Parse(hex);

        CoapFormatError decodeError = CoapMessageCodec.TryDecode(datagram, out CoapMessage? message);
        CoapFormatError parseError = CoapMessageReader.TryParse(datagram, out CoapMessageReader reader);

        Assert.Equal(expected, decodeError);
        Assert.Null(message);
        Assert.Equal(expected, parseError);
        if (type is { } t)
        {
            Assert.Equal(t, reader.Header.Type);
            Assert.Equal((ushort)messageId!.Value, reader.Header.MessageId);
        }
        else
        {
            Assert.Equal(default, reader.Header);
        }
    }

    [Theory]
    // The boundaries just inside the rules above are accepted.
    [InlineData("40 00 7d34")]                       // empty CON: a CoAP ping (§4.3)
    [InlineData("70 00 7d34")]                       // empty RST
    [InlineData("48 01 7d34 0102030405060708")]      // TKL 8, the longest token
    [InlineData("40 01 7d34 e0 fef2")]               // option 65535
    [InlineData("40 01 7d34 e0 fef1 10")]            // 65534 then 65535
    [InlineData("40 01 7d34 ff 00")]                 // marker and a one-byte payload
    [InlineData("40 1f 7d34")]                       // 0.31, the last request code
    [InlineData("40 bf 7d34")]                       // 5.31, the last response code
    [InlineData("40 01 7d34 bd 00 61616161616161616161616161")] // length 13 = 13 + 0
    public void Datagram_at_the_edge_of_a_rule_is_accepted(string hex)
    {
        byte[] datagram = Hex.Parse(hex);

        Assert.Equal(CoapFormatError.None, CoapMessageCodec.TryDecode(datagram, out CoapMessage? message));
        Assert.Equal(CoapFormatError.None, CoapMessageReader.TryParse(datagram, out _));
        Assert.Equal(Hex.Of(datagram), Hex.Of(CoapMessageCodec.Encode(message!)));
    }
}
