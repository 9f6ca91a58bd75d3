using Tern.Coap.Messages;

namespace Tern.Coap.Tests.Messages;

/// <summary>
/// Option headers (RFC 7252 §3.1): the delta and length nibbles, their one- and two-byte extensions
/// (13 + byte, 269 + big-endian ushort), every registered option number, and uint values (§3.2).
/// Every expected byte string below was written by hand. Messages are CON GET, MID 0x0001, no token.
/// </summary>
public class OptionEncodingTests
{
    private const string GetHeader = "40 01 0001";

    [Theory]
    // RFC 7252 §5.10 table.
    [InlineData(CoapOptionNumber.IfMatch, "0102", "12 0102")]
    [InlineData(CoapOptionNumber.UriHost, "68", "31 68")]
    [InlineData(CoapOptionNumber.ETag, "a1b2c3d4", "44 a1b2c3d4")]
    [InlineData(CoapOptionNumber.IfNoneMatch, "", "50")]
    [InlineData(CoapOptionNumber.UriPort, "1633", "72 1633")]
    [InlineData(CoapOptionNumber.LocationPath, "7264", "82 7264")]
    [InlineData(CoapOptionNumber.UriPath, "61", "b1 61")]
    [InlineData(CoapOptionNumber.ContentFormat, "6e", "c1 6e")]
    [InlineData(CoapOptionNumber.MaxAge, "3c", "d1 01 3c")]
    [InlineData(CoapOptionNumber.UriQuery, "65703d78", "d4 02 65703d78")]
    [InlineData(CoapOptionNumber.Accept, "2d16", "d2 04 2d16")]
    [InlineData(CoapOptionNumber.LocationQuery, "623d55", "d3 07 623d55")]
    [InlineData(CoapOptionNumber.ProxyUri, "636f61703a2f2f68", "d8 16 636f61703a2f2f68")]
    [InlineData(CoapOptionNumber.ProxyScheme, "636f6170", "d4 1a 636f6170")]
    [InlineData(CoapOptionNumber.Size1, "011170", "d3 2f 011170")]
    // RFC 7641: Observe.
    [InlineData(CoapOptionNumber.Observe, "0102", "62 0102")]
    // RFC 7959: Block2 (NUM 1, M 0, SZX 6), Block1 (NUM 2, M 1, SZX 2), Size2 1024.
    [InlineData(CoapOptionNumber.Block2, "16", "d1 0a 16")]
    [InlineData(CoapOptionNumber.Block1, "2a", "d1 0e 2a")]
    [InlineData(CoapOptionNumber.Size2, "0400", "d2 0f 0400")]
    // RFC 7967: No-Response 26 (258 = 13 + 0xf5).
    [InlineData(CoapOptionNumber.NoResponse, "1a", "d1 f5 1a")]
    public void Registered_option_encodes_and_decodes_exactly(ushort number, string valueHex, string optionHex)
    {
        var message = Get();
        message.AddOption(new CoapOption(number, Hex.Parse(valueHex)));

        AssertExactBytes(message, GetHeader + optionHex);
    }

    [Fact]
    public void Every_registered_option_in_one_message_chains_deltas_from_the_previous_number()
    {
        (ushort Number, string Value)[] options =
        [
            (1, "0102"), (3, "68"), (4, "a1b2c3d4"), (5, ""), (6, "0102"), (7, "1633"), (8, "7264"), (11, "61"),
            (12, "6e"), (14, "3c"), (15, "65703d78"), (17, "2d16"), (20, "623d55"), (23, "16"), (27, "2a"),
            (28, "0400"), (35, "636f61703a2f2f68"), (39, "636f6170"), (60, "011170"), (258, "1a"),
        ];
        var message = Get();
        foreach ((ushort number, string value) in options.Reverse())
        {
            message.AddOption(new CoapOption(number, Hex.Parse(value)));
        }

        AssertExactBytes(message, GetHeader +
            "12 0102  21 68  14 a1b2c3d4  10  12 0102  12 1633  12 7264  31 61" +
            "11 6e  21 3c  14 65703d78  22 2d16  33 623d55  31 16  41 2a" +
            "12 0400  78 636f61703a2f2f68  44 636f6170  d3 08 011170  d1 b9 1a");
    }

    [Theory]
    [InlineData(12, "c0")]         // largest delta in the nibble
    [InlineData(13, "d0 00")]      // smallest one-byte extension: 13 + 0
    [InlineData(14, "d0 01")]
    [InlineData(268, "d0 ff")]     // largest one-byte extension: 13 + 255
    [InlineData(269, "e0 0000")]   // smallest two-byte extension: 269 + 0
    [InlineData(270, "e0 0001")]
    [InlineData(65535, "e0 fef2")] // largest option number: 269 + 0xfef2
    public void Option_delta_uses_the_shortest_extension(int number, string optionHex)
    {
        var message = Get();
        message.AddOption(new CoapOption((ushort)number, ReadOnlyMemory<byte>.Empty));

        AssertExactBytes(message, GetHeader + optionHex);
    }

    [Fact]
    public void Delta_is_measured_from_the_previous_option_not_from_zero()
    {
        // 100 = 13 + 0x57, then 369 - 100 = 269 = 269 + 0; 1000 - 369 = 631 = 269 + 0x016a; then 1012 - 1000 = 12.
        var message = Get();
        foreach (ushort number in new ushort[] { 100, 369, 1000, 1012 })
        {
            message.AddOption(new CoapOption(number, ReadOnlyMemory<byte>.Empty));
        }

        AssertExactBytes(message, GetHeader + "d0 57  e0 0000  e0 016a  c0");
    }

    [Theory]
    [InlineData(0, "b0")]
    [InlineData(12, "bc")]          // largest length in the nibble
    [InlineData(13, "bd 00")]       // 13 + 0
    [InlineData(268, "bd ff")]      // 13 + 255
    [InlineData(269, "be 0000")]    // 269 + 0
    [InlineData(1034, "be 02fd")]   // 269 + 765
    [InlineData(65804, "be ffff")]  // 269 + 65535, the longest value the format can carry
    public void Option_length_uses_the_shortest_extension(int length, string optionHeaderHex)
    {
        byte[] value = new byte[length];
        Array.Fill(value, (byte)'a');
        var message = Get();
        message.AddOption(new CoapOption(CoapOptionNumber.UriPath, value));

        AssertExactBytes(message, GetHeader + optionHeaderHex + Hex.Of(value));
    }

    [Fact]
    public void Extended_delta_bytes_come_before_extended_length_bytes()
    {
        // Option 300 (269 + 0x1f) with a 300-byte value (269 + 0x1f), then option 320 (delta 20 = 13 + 7) of 14 bytes (13 + 1).
        byte[] long300 = new byte[300];
        byte[] short14 = new byte[14];
        Array.Fill(long300, (byte)0x11);
        Array.Fill(short14, (byte)0x22);
        var message = Get();
        message.AddOption(new CoapOption(300, long300)).AddOption(new CoapOption(320, short14));

        AssertExactBytes(message, GetHeader + "ee 001f 001f" + Hex.Of(long300) + "dd 07 01" + Hex.Of(short14));
    }

    [Theory]
    [InlineData(0u, "")]
    [InlineData(1u, "01")]
    [InlineData(255u, "ff")]
    [InlineData(256u, "0100")]
    [InlineData(65535u, "ffff")]
    [InlineData(65536u, "010000")]
    [InlineData(16777215u, "ffffff")]
    [InlineData(16777216u, "01000000")]
    [InlineData(uint.MaxValue, "ffffffff")]
    public void Uint_option_is_written_without_leading_zero_bytes(uint value, string expectedHex)
    {
        CoapOption option = CoapOption.FromUInt(CoapOptionNumber.MaxAge, value);

        Assert.Equal(expectedHex, Hex.Of(option.Value.Span));
        Assert.True(option.TryGetUInt(out uint read));
        Assert.Equal(value, read);
    }

    [Theory]
    [InlineData("", 0u)]
    [InlineData("0001", 1u)]          // §3.2: a recipient must accept leading zero bytes
    [InlineData("00000000", 0u)]
    [InlineData("000100", 256u)]
    [InlineData("ffffffff", uint.MaxValue)]
    public void Uint_value_reads_big_endian_with_or_without_leading_zeros(string hex, uint expected)
    {
        Assert.True(CoapOption.TryReadUInt(Hex.Parse(hex), out uint value));
        Assert.Equal(expected, value);
    }

    [Fact]
    public void Uint_value_longer_than_four_bytes_is_refused()
    {
        Assert.False(CoapOption.TryReadUInt(Hex.Parse("0000000001"), out _));
        Assert.Null(new CoapMessage().AddOption(new CoapOption(CoapOptionNumber.Size1, Hex.Parse("0102030405"))).GetUIntOption(CoapOptionNumber.Size1));
    }

    [Fact]
    public void Zero_valued_uint_options_travel_as_empty_values()
    {
        // Content-Format 0 (text/plain) and Observe 0 (register): a header byte each and no value bytes.
        var message = Get();
        message.ContentFormat = 0;
        message.Observe = 0;

        AssertExactBytes(message, GetHeader + "60 60");
        CoapMessageCodec.TryDecode(CoapMessageCodec.Encode(message), out CoapMessage? decoded);
        Assert.Equal((ushort)0, decoded!.ContentFormat);
        Assert.Equal(0u, decoded.Observe);
    }

    [Theory]
    [InlineData("", "40")]
    [InlineData("a0", "41 a0")]
    [InlineData("a0a1", "42 a0a1")]
    [InlineData("a0a1a2", "43 a0a1a2")]
    [InlineData("a0a1a2a3", "44 a0a1a2a3")]
    [InlineData("a0a1a2a3a4", "45 a0a1a2a3a4")]
    [InlineData("a0a1a2a3a4a5", "46 a0a1a2a3a4a5")]
    [InlineData("a0a1a2a3a4a5a6", "47 a0a1a2a3a4a5a6")]
    [InlineData("a0a1a2a3a4a5a6a7", "48 a0a1a2a3a4a5a6a7")]
    public void Token_of_zero_to_eight_bytes_follows_the_header(string tokenHex, string expectedStart)
    {
        var message = Get();
        message.Token = Hex.Parse(tokenHex);
        message.AddOption(new CoapOption(CoapOptionNumber.UriPath, Hex.Ascii("x")));

        // The TKL nibble sits in the first byte; the token goes between the MID and the first option.
        string[] parts = expectedStart.Split(' ');
        string expected = parts[0] + " 01 0001 " + (parts.Length > 1 ? parts[1] : "") + "b1 78";
        AssertExactBytes(message, expected);
    }

    [Theory]
    [InlineData("", "")]                      // no payload: no marker
    [InlineData("2a", "ff 2a")]               // one byte of payload
    [InlineData("ff", "ff ff")]               // a payload that starts with 0xff is still a payload
    [InlineData("ffff00", "ff ffff00")]
    public void Payload_marker_is_written_only_before_a_non_empty_payload(string payloadHex, string expectedTail)
    {
        var message = Get();
        message.AddOption(new CoapOption(CoapOptionNumber.UriPath, Hex.Ascii("x")));
        message.Payload = Hex.Parse(payloadHex);

        AssertExactBytes(message, GetHeader + "b1 78" + expectedTail);
    }

    private static CoapMessage Get() => new() { Type = CoapMessageType.Confirmable, Code = CoapCode.Get, MessageId = 1 };

    private static void AssertExactBytes(CoapMessage message, string expectedHex)
    {
        byte[] expected = Hex.Parse(expectedHex);

        byte[] encoded = CoapMessageCodec.Encode(message);
        Assert.Equal(Hex.Of(expected), Hex.Of(encoded));
        Assert.Equal(expected.Length, CoapMessageCodec.GetEncodedLength(message));

        Assert.Equal(CoapFormatError.None, CoapMessageCodec.TryDecode(expected, out CoapMessage? decoded));
        Hex.AssertSameMessage(message, decoded!);
    }
}
