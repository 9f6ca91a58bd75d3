using System.Buffers;
using Tern.Coap.Messages;

namespace Tern.Coap.Tests.Messages;

/// <summary>
/// The two encode paths (caller's span, caller's <see cref="IBufferWriter{T}"/>) and what the encoder
/// does with a message the wire format cannot carry: that is API misuse, so it throws instead of
/// writing bytes that decode to something else.
/// </summary>
public class CodecBufferTests
{
    [Fact]
    public void Encode_into_a_buffer_writer_writes_the_same_bytes_as_TryEncode()
    {
        CoapMessage message = Sample();
        byte[] span = new byte[256];
        Assert.True(CoapMessageCodec.TryEncode(message, span, out int spanWritten));

        var writer = new ArrayBufferWriter<byte>();
        int written = CoapMessageCodec.Encode(message, writer);

        Assert.Equal(spanWritten, written);
        Assert.Equal(written, writer.WrittenCount);
        Assert.Equal(Hex.Of(span.AsSpan(0, spanWritten)), Hex.Of(writer.WrittenSpan));
    }

    [Fact]
    public void Encode_into_a_buffer_writer_appends_after_what_is_already_there()
    {
        CoapMessage message = Sample();
        var writer = new ArrayBufferWriter<byte>();
        writer.Write(new byte[] { 0xAA, 0xBB });

        CoapMessageCodec.Encode(message, writer);
        CoapMessageCodec.Encode(message, writer);

        string once = Hex.Of(CoapMessageCodec.Encode(message));
        Assert.Equal("aabb" + once + once, Hex.Of(writer.WrittenSpan));
    }

    [Fact]
    public void TryEncode_returns_false_for_every_buffer_one_byte_too_small_or_smaller()
    {
        CoapMessage message = Sample();
        int needed = CoapMessageCodec.GetEncodedLength(message);

        for (int size = 0; size < needed; size++)
        {
            Assert.False(CoapMessageCodec.TryEncode(message, new byte[size], out int written), $"size {size}");
            Assert.Equal(0, written);
        }

        Assert.True(CoapMessageCodec.TryEncode(message, new byte[needed], out int exact));
        Assert.Equal(needed, exact);
    }

    [Fact]
    public void Token_longer_than_eight_bytes_is_refused_by_the_encoder()
    {
        CoapMessage message = Sample();
        message.Token = new byte[9];

        Assert.Throws<ArgumentException>(() => CoapMessageCodec.TryEncode(message, new byte[256], out _));
        Assert.Throws<ArgumentException>(() => CoapMessageCodec.Encode(message, new ArrayBufferWriter<byte>()));
    }

    [Fact]
    public void Message_type_outside_the_two_bit_field_is_refused_instead_of_corrupting_the_version()
    {
        // OR-ed into the first byte unchecked, type 5 becomes 0x50 (a version-1 NON the caller never
        // asked for) and type 8 becomes 0xc0 (version 3, which every peer drops).
        CoapMessage message = Sample();
        message.Type = (CoapMessageType)5;
        Assert.Throws<ArgumentException>(() => CoapMessageCodec.TryEncode(message, new byte[256], out _));
        message.Type = (CoapMessageType)8;
        Assert.Throws<ArgumentException>(() => CoapMessageCodec.TryEncode(message, new byte[256], out _));
        Assert.Throws<ArgumentException>(() => CoapMessageCodec.Encode(message));
    }

    [Fact]
    public void Option_value_longer_than_the_format_can_carry_is_refused()
    {
        // A length of 269 + 65535 = 65804 is the largest the two-byte extension can express.
        var fits = new CoapMessage { Code = CoapCode.Put };
        fits.AddOption(new CoapOption(CoapOptionNumber.UriPath, new byte[CoapMessageCodec.MaxOptionValueLength]));
        var tooLong = new CoapMessage { Code = CoapCode.Put };
        tooLong.AddOption(new CoapOption(CoapOptionNumber.UriPath, new byte[CoapMessageCodec.MaxOptionValueLength + 1]));

        Assert.Equal(65804, CoapMessageCodec.MaxOptionValueLength);
        Assert.Equal(4 + 3 + 65804, CoapMessageCodec.GetEncodedLength(fits));
        Assert.Throws<ArgumentException>(() => CoapMessageCodec.GetEncodedLength(tooLong));
        Assert.Throws<ArgumentException>(() => CoapMessageCodec.TryEncode(tooLong, new byte[70000], out _));
    }

    [Fact]
    public void Buffer_writer_that_hands_out_less_than_asked_is_reported_not_silently_skipped()
    {
        var writer = new StingyWriter(capacity: 8);

        Assert.Throws<InvalidOperationException>(() => CoapMessageCodec.Encode(Sample(), writer));
        Assert.Equal(0, writer.Advanced);
    }

    [Fact]
    public void Decoded_message_keeps_its_bytes_when_the_receive_buffer_is_reused()
    {
        CoapMessage original = Sample();
        byte[] receiveBuffer = CoapMessageCodec.Encode(original);
        Assert.Equal(CoapFormatError.None, CoapMessageCodec.TryDecode(receiveBuffer, out CoapMessage? decoded));

        Array.Fill(receiveBuffer, (byte)0xEE);

        Hex.AssertSameMessage(original, decoded!);
    }

    private static CoapMessage Sample()
    {
        var message = new CoapMessage
        {
            Type = CoapMessageType.Confirmable,
            Code = CoapCode.Post,
            MessageId = 0x1234,
            Token = new byte[] { 1, 2, 3, 4 },
            Payload = Hex.Ascii("</1/0>,</3/0>"),
        };
        message.SetUriPath("/rd").AddOption(CoapOption.FromString(CoapOptionNumber.UriQuery, "ep=meter-1"));
        message.ContentFormat = 40;
        return message;
    }

    // Breaks the IBufferWriter contract on purpose: never more than `capacity` bytes, whatever the hint.
    private sealed class StingyWriter(int capacity) : IBufferWriter<byte>
    {
        private readonly byte[] _buffer = new byte[capacity];

        public int Advanced { get; private set; }

        public void Advance(int count) => Advanced += count;

        public Memory<byte> GetMemory(int sizeHint = 0) => _buffer;

        public Span<byte> GetSpan(int sizeHint = 0) => _buffer;
    }
}
