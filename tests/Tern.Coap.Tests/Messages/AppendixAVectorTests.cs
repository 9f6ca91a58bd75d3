using Tern.Coap.Messages;

namespace Tern.Coap.Tests.Messages;

/// <summary>
/// The message flows of RFC 7252 Appendix A (Figures 16–23) and the option sets of Appendix B,
/// written out as bytes by hand. Encoding must give exactly these bytes; decoding must give exactly
/// these fields.
/// </summary>
public class AppendixAVectorTests
{
    // "temperature" as an 11-byte Uri-Path (delta 11, length 11) and "22.3 C" behind a payload marker.
    private const string UriPathTemperature = "bb 74656d7065726174757265";
    private const string Payload223C = "ff 32322e332043";

    public static TheoryData<string, string, CoapMessageType, byte, ushort, string, string?, string> Figures => new()
    {
        // Figure 16: CON GET, empty token, 16 bytes; piggybacked 2.05 in the ACK, 11 bytes.
        { "Fig 16 request", "40 01 7d34" + UriPathTemperature, CoapMessageType.Confirmable, 0x01, 0x7d34, "", "temperature", "" },
        { "Fig 16 response", "60 45 7d34" + Payload223C, CoapMessageType.Acknowledgement, 0x45, 0x7d34, "", null, "22.3 C" },
        // Figure 17: the same with the one-byte token 0x20, 17 and 12 bytes.
        { "Fig 17 request", "41 01 7d35 20" + UriPathTemperature, CoapMessageType.Confirmable, 0x01, 0x7d35, "20", "temperature", "" },
        { "Fig 17 response", "61 45 7d35 20" + Payload223C, CoapMessageType.Acknowledgement, 0x45, 0x7d35, "20", null, "22.3 C" },
        // Figure 18 (request retransmitted) and Figure 19 (response retransmitted): same shapes, new MIDs and tokens.
        { "Fig 18 request", "41 01 7d36 31" + UriPathTemperature, CoapMessageType.Confirmable, 0x01, 0x7d36, "31", "temperature", "" },
        { "Fig 18 response", "61 45 7d36 31" + Payload223C, CoapMessageType.Acknowledgement, 0x45, 0x7d36, "31", null, "22.3 C" },
        { "Fig 19 request", "41 01 7d37 42" + UriPathTemperature, CoapMessageType.Confirmable, 0x01, 0x7d37, "42", "temperature", "" },
        { "Fig 19 response", "61 45 7d37 42" + Payload223C, CoapMessageType.Acknowledgement, 0x45, 0x7d37, "42", null, "22.3 C" },
        // Figure 20: separate response: empty ACK, then a CON 2.05 with a new MID, then its empty ACK.
        { "Fig 20 request", "41 01 7d38 53" + UriPathTemperature, CoapMessageType.Confirmable, 0x01, 0x7d38, "53", "temperature", "" },
        { "Fig 20 empty ACK", "60 00 7d38", CoapMessageType.Acknowledgement, 0x00, 0x7d38, "", null, "" },
        { "Fig 20 CON response", "41 45 ad7b 53" + Payload223C, CoapMessageType.Confirmable, 0x45, 0xad7b, "53", null, "22.3 C" },
        { "Fig 20 empty ACK of response", "60 00 ad7b", CoapMessageType.Acknowledgement, 0x00, 0xad7b, "", null, "" },
        // Figure 21: the client lost its state and rejects the separate response with an RST.
        { "Fig 21 RST", "70 00 ad7c", CoapMessageType.Reset, 0x00, 0xad7c, "", null, "" },
        // Figure 22: NON request and NON response.
        { "Fig 22 request", "51 01 7d40 75" + UriPathTemperature, CoapMessageType.NonConfirmable, 0x01, 0x7d40, "75", "temperature", "" },
        { "Fig 22 response", "51 45 ad7d 75" + Payload223C, CoapMessageType.NonConfirmable, 0x45, 0xad7d, "75", null, "22.3 C" },
        // Figure 23: multicast NON request; 2.05 answers from A and B, a 4.04 (0x84) without payload from C.
        { "Fig 23 request", "51 01 7d41 86" + UriPathTemperature, CoapMessageType.NonConfirmable, 0x01, 0x7d41, "86", "temperature", "" },
        { "Fig 23 response A", "51 45 60b1 86" + Payload223C, CoapMessageType.NonConfirmable, 0x45, 0x60b1, "86", null, "22.3 C" },
        { "Fig 23 response B", "51 45 01a0 86 ff 32302e392043", CoapMessageType.NonConfirmable, 0x45, 0x01a0, "86", null, "20.9 C" },
        { "Fig 23 response C", "51 84 952a 86", CoapMessageType.NonConfirmable, 0x84, 0x952a, "86", null, "" },
    };

    [Theory]
    [MemberData(nameof(Figures))]
    public void Appendix_A_message_encodes_to_the_bytes_of_the_figure(
        string figure, string hex, CoapMessageType type, byte code, ushort messageId, string token, string? uriPath, string payload)
    {
        CoapMessage message = Build(type, code, messageId, token, uriPath, payload);

        byte[] encoded = CoapMessageCodec.Encode(message);

        Assert.True(Hex.Of(Hex.Parse(hex)) == Hex.Of(encoded), $"{figure}: expected {Hex.Of(Hex.Parse(hex))}, got {Hex.Of(encoded)}");
        Assert.Equal(encoded.Length, CoapMessageCodec.GetEncodedLength(message));
    }

    [Theory]
    [MemberData(nameof(Figures))]
    public void Appendix_A_bytes_decode_to_the_fields_of_the_figure(
        string figure, string hex, CoapMessageType type, byte code, ushort messageId, string token, string? uriPath, string payload)
    {
        CoapFormatError error = CoapMessageCodec.TryDecode(Hex.Parse(hex), out CoapMessage? decoded);

        Assert.True(error == CoapFormatError.None, $"{figure}: {error}");
        Hex.AssertSameMessage(Build(type, code, messageId, token, uriPath, payload), decoded!);
        Assert.Equal(uriPath is null ? "/" : "/" + uriPath, decoded!.UriPath);
    }

    [Fact]
    public void Figure_16_sizes_match_the_text_of_the_rfc()
    {
        // "This request is a total of 16 bytes long ... The response ... is 11 bytes long."
        CoapMessage request = Build(CoapMessageType.Confirmable, 0x01, 0x7d34, "", "temperature", "");
        CoapMessage response = Build(CoapMessageType.Acknowledgement, 0x45, 0x7d34, "", null, "22.3 C");

        Assert.Equal(16, CoapMessageCodec.GetEncodedLength(request));
        Assert.Equal(11, CoapMessageCodec.GetEncodedLength(response));
    }

    // Appendix B option sets, carried in a CON GET with MID 0x0001 and no token.
    [Theory]
    // Uri-Host "example.net" (delta 3, length 11), Uri-Path ".well-known" (delta 8, length 11), Uri-Path "core" (delta 0).
    [InlineData("3b 6578616d706c652e6e6574 8b 2e77656c6c2d6b6e6f776e 04 636f7265",
        "example.net", new[] { ".well-known", "core" }, new string[0])]
    // Uri-Host "xn--18j4d.example" is 17 bytes: length nibble 13 with extension 17-13 = 4.
    // The Uri-Path is 15 UTF-8 bytes: length nibble 13 with extension 2.
    [InlineData("3d 04 786e2d2d31386a34642e6578616d706c65 8d 02 e38193e38293e381abe381a1e381af",
        "xn--18j4d.example", new[] { "\u3053\u3093\u306b\u3061\u306f" }, new string[0])]
    // Empty and repeated Uri-Path options (delta 0, length 0 is the single byte 00), then Uri-Query (delta 4).
    [InlineData("b0 01 2f 00 00 42 2f2f 02 3f26",
        null, new[] { "", "/", "", "" }, new[] { "//", "?&" })]
    public void Appendix_B_option_sets_encode_and_decode_exactly(string optionsHex, string? uriHost, string[] paths, string[] queries)
    {
        var message = new CoapMessage { Type = CoapMessageType.Confirmable, Code = CoapCode.Get, MessageId = 1 };
        if (uriHost is not null)
        {
            message.AddOption(CoapOption.FromString(CoapOptionNumber.UriHost, uriHost));
        }

        foreach (string path in paths)
        {
            message.AddOption(CoapOption.FromString(CoapOptionNumber.UriPath, path));
        }

        foreach (string query in queries)
        {
            message.AddOption(CoapOption.FromString(CoapOptionNumber.UriQuery, query));
        }

        byte[] expected = Hex.Parse("40 01 0001 " + optionsHex);

        Assert.Equal(Hex.Of(expected), Hex.Of(CoapMessageCodec.Encode(message)));
        Assert.Equal(CoapFormatError.None, CoapMessageCodec.TryDecode(expected, out CoapMessage? decoded));
        Hex.AssertSameMessage(message, decoded!);
        Assert.Equal(paths, decoded!.GetOptions(CoapOptionNumber.UriPath).Select(o => o.GetString()));
        Assert.Equal(queries, decoded.UriQueries);
    }

    private static CoapMessage Build(CoapMessageType type, byte code, ushort messageId, string token, string? uriPath, string payload)
    {
        var message = new CoapMessage
        {
            Type = type,
            Code = new CoapCode(code),
            MessageId = messageId,
            Token = Hex.Parse(token),
            Payload = Hex.Ascii(payload),
        };
        if (uriPath is not null)
        {
            message.AddOption(CoapOption.FromString(CoapOptionNumber.UriPath, uriPath));
        }

        return message;
    }
}
