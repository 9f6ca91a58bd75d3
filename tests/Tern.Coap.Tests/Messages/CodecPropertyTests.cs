using Tern.Coap.Messages;

namespace Tern.Coap.Tests.Messages;

/// <summary>
/// Seeded properties over thousands of messages and datagrams.
///
/// The canonical-form property, stated exactly: for every byte string B, if TryDecode(B) succeeds with
/// message M then Encode(M) == B. It holds because the wire form leaves the encoder no choice:
/// each delta and length has exactly one encoding (nibbles 0–12 stand for themselves, 13 + one byte for
/// 13–268, 14 + two bytes for 269–65804), options arrive in non-decreasing order and CoapMessage keeps
/// repeated options in arrival order, the payload marker is present exactly when the payload is not
/// empty, and option values are kept as raw bytes. The last point is also the limit of the property:
/// a uint option sent with leading zeros (allowed, §3.2) is reproduced with the same zeros; the codec
/// does not re-canonicalize values, so reading the uint and rebuilding it with FromUInt may be shorter.
/// </summary>
public class CodecPropertyTests
{
    [Fact]
    public void Random_valid_messages_round_trip_through_encode_and_decode()
    {
        var rng = new Random(7252);
        byte[] buffer = new byte[200_000];
        for (int i = 0; i < 3000; i++)
        {
            CoapMessage message = RandomMessages.Next(rng);

            int expectedLength = CoapMessageCodec.GetEncodedLength(message);
            Assert.True(CoapMessageCodec.TryEncode(message, buffer, out int written));
            Assert.Equal(expectedLength, written);
            ReadOnlySpan<byte> datagram = buffer.AsSpan(0, written);

            Assert.Equal(CoapFormatError.None, CoapMessageCodec.TryDecode(datagram, out CoapMessage? decoded));
            Hex.AssertSameMessage(message, decoded!);
            AssertReaderSees(message, datagram);
        }
    }

    [Fact]
    public void Random_bytes_never_throw_and_whatever_decodes_re_encodes_to_the_same_bytes()
    {
        var rng = new Random(1);
        int accepted = 0;
        for (int i = 0; i < 30_000; i++)
        {
            if (CheckArbitraryDatagram(RandomMessages.Garbage(rng)))
            {
                accepted++;
            }
        }

        // Sanity: both the accepting and the rejecting paths were exercised.
        Assert.InRange(accepted, 100, 29_000);
    }

    [Fact]
    public void Mutated_valid_datagrams_never_throw_and_whatever_decodes_re_encodes_to_the_same_bytes()
    {
        var rng = new Random(7959);
        int accepted = 0;
        int total = 0;
        for (int i = 0; i < 2000; i++)
        {
            byte[] valid = CoapMessageCodec.Encode(RandomMessages.Next(rng));
            for (int m = 0; m < 5; m++)
            {
                total++;
                if (CheckArbitraryDatagram(RandomMessages.Mutate(rng, valid)))
                {
                    accepted++;
                }
            }
        }

        Assert.InRange(accepted, total / 20, total - (total / 20));
    }

    [Fact]
    public void Uint_option_with_leading_zeros_re_encodes_raw_and_is_not_re_canonicalized()
    {
        // Content-Format 42 sent as two bytes 00 2a: legal (§3.2), read as 42, reproduced byte for byte.
        byte[] datagram = Hex.Parse("40 01 0001 c2 002a");

        Assert.Equal(CoapFormatError.None, CoapMessageCodec.TryDecode(datagram, out CoapMessage? decoded));
        Assert.Equal((ushort)42, decoded!.ContentFormat);
        Assert.Equal(Hex.Of(datagram), Hex.Of(CoapMessageCodec.Encode(decoded)));

        // Setting the value again goes through FromUInt and yields the shortest form.
        decoded.ContentFormat = decoded.ContentFormat;
        Assert.Equal("40010001c12a", Hex.Of(CoapMessageCodec.Encode(decoded)));
    }

    // Returns whether the datagram was accepted. Any exception fails the calling test.
    private static bool CheckArbitraryDatagram(byte[] datagram)
    {
        CoapFormatError decodeError = CoapMessageCodec.TryDecode(datagram, out CoapMessage? decoded);
        CoapFormatError parseError = CoapMessageReader.TryParse(datagram, out CoapMessageReader reader);
        if (decodeError != parseError)
        {
            Assert.Fail($"{Hex.Of(datagram)}: TryDecode {decodeError}, TryParse {parseError}");
        }

        if (decodeError != CoapFormatError.None)
        {
            Assert.Null(decoded);
            return false;
        }

        byte[] reEncoded = CoapMessageCodec.Encode(decoded!);
        if (!reEncoded.AsSpan().SequenceEqual(datagram))
        {
            Assert.Fail($"{Hex.Of(datagram)} re-encoded as {Hex.Of(reEncoded)}");
        }

        Assert.Equal(datagram.Length, CoapMessageCodec.GetEncodedLength(decoded!));
        int options = 0;
        foreach (CoapOptionView _ in reader.Options)
        {
            options++;
        }

        Assert.Equal(decoded!.Options.Count, options);
        return true;
    }

    private static void AssertReaderSees(CoapMessage message, ReadOnlySpan<byte> datagram)
    {
        Assert.Equal(CoapFormatError.None, CoapMessageReader.TryParse(datagram, out CoapMessageReader reader));
        Assert.Equal(new CoapHeader(message.Type, message.Token.Length, message.Code, message.MessageId), reader.Header);
        Assert.True(reader.Token.SequenceEqual(message.Token.Span));
        Assert.True(reader.Payload.SequenceEqual(message.Payload.Span));
        int i = 0;
        foreach (CoapOptionView option in reader.Options)
        {
            Assert.Equal(message.Options[i].Number, option.Number);
            Assert.True(option.Value.SequenceEqual(message.Options[i].Value.Span));
            i++;
        }

        Assert.Equal(message.Options.Count, i);
    }
}
