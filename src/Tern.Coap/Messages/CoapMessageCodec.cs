using System.Buffers;
using System.Buffers.Binary;

namespace Tern.Coap.Messages;

/// <summary>
/// Encodes <see cref="CoapMessage"/> to the RFC 7252 §3 wire form and decodes it back.
/// Encoding writes into the caller's buffer and allocates nothing; decoding never throws on bad bytes.
/// </summary>
public static class CoapMessageCodec
{
    /// <summary>The byte that separates options from the payload.</summary>
    public const byte PayloadMarker = 0xFF;

    /// <summary>The longest option value the wire format can express: 269 + 65535 bytes (RFC 7252 §3.1).</summary>
    public const int MaxOptionValueLength = 269 + ushort.MaxValue;

    /// <summary>
    /// The number of bytes <see cref="TryEncode"/> will write for this message. Throws
    /// <see cref="ArgumentException"/> for an option value longer than <see cref="MaxOptionValueLength"/>.
    /// </summary>
    public static int GetEncodedLength(CoapMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        int length = CoapHeader.Size + message.Token.Length;
        int previous = 0;
        foreach (ref readonly CoapOption option in message.OptionSpan)
        {
            int valueLength = option.Value.Length;
            if (valueLength > MaxOptionValueLength)
            {
                throw new ArgumentException(
                    $"Option {option.Number} is {valueLength} bytes long; CoAP option values are at most {MaxOptionValueLength} bytes.",
                    nameof(message));
            }

            length += 1 + ExtendedSize(option.Number - previous) + ExtendedSize(valueLength) + valueLength;
            previous = option.Number;
        }

        if (!message.Payload.IsEmpty)
        {
            length += 1 + message.Payload.Length;
        }

        return length;
    }

    /// <summary>
    /// Writes the message into <paramref name="destination"/>. Returns false, writing nothing useful,
    /// when the buffer is too small. Throws <see cref="ArgumentException"/> for a token longer than 8 bytes,
    /// a <see cref="CoapMessage.Type"/> outside the four defined values, or an option value longer than
    /// <see cref="MaxOptionValueLength"/>: the wire format cannot carry them.
    /// </summary>
    public static bool TryEncode(CoapMessage message, Span<byte> destination, out int bytesWritten)
    {
        ThrowIfNotEncodable(message);
        bytesWritten = 0;
        if (destination.Length < GetEncodedLength(message))
        {
            return false;
        }

        bytesWritten = Write(message, destination);
        return true;
    }

    /// <summary>
    /// Writes the message into <paramref name="writer"/> and returns the number of bytes written.
    /// Throws like <see cref="TryEncode"/> for a message the wire format cannot carry.
    /// </summary>
    public static int Encode(CoapMessage message, IBufferWriter<byte> writer)
    {
        ThrowIfNotEncodable(message);
        ArgumentNullException.ThrowIfNull(writer);
        int needed = GetEncodedLength(message);
        Span<byte> span = writer.GetSpan(needed);
        if (span.Length < needed)
        {
            throw new InvalidOperationException($"The buffer writer returned {span.Length} bytes after being asked for {needed}.");
        }

        int written = Write(message, span);
        writer.Advance(written);
        return written;
    }

    /// <summary>Encodes into a new array: convenient for tests and cold paths.</summary>
    public static byte[] Encode(CoapMessage message)
    {
        ThrowIfNotEncodable(message);
        byte[] bytes = new byte[GetEncodedLength(message)];
        Write(message, bytes);
        return bytes;
    }

    private static void ThrowIfNotEncodable(CoapMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Token.Length > 8)
        {
            throw new ArgumentException("A CoAP token is at most 8 bytes long.", nameof(message));
        }

        if ((uint)message.Type > (uint)CoapMessageType.Reset)
        {
            throw new ArgumentException(
                $"Message type {(int)message.Type} does not fit the 2-bit T field; use a defined CoapMessageType.", nameof(message));
        }
    }

    // Writes a validated message into a destination at least GetEncodedLength bytes long.
    private static int Write(CoapMessage message, Span<byte> destination)
    {
        destination[0] = (byte)(0x40 | ((int)message.Type << 4) | message.Token.Length);
        destination[1] = message.Code.Value;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], message.MessageId);
        int offset = CoapHeader.Size;
        message.Token.Span.CopyTo(destination[offset..]);
        offset += message.Token.Length;

        int previous = 0;
        foreach (ref readonly CoapOption option in message.OptionSpan)
        {
            int length = option.Value.Length;
            int headerAt = offset++;
            int deltaNibble = WriteExtended(destination, ref offset, option.Number - previous);
            int lengthNibble = WriteExtended(destination, ref offset, length);
            destination[headerAt] = (byte)((deltaNibble << 4) | lengthNibble);
            option.Value.Span.CopyTo(destination[offset..]);
            offset += length;
            previous = option.Number;
        }

        if (!message.Payload.IsEmpty)
        {
            destination[offset++] = PayloadMarker;
            message.Payload.Span.CopyTo(destination[offset..]);
            offset += message.Payload.Length;
        }

        return offset;
    }

    /// <summary>
    /// Decodes a datagram into a new <see cref="CoapMessage"/>. The bytes after the header are copied once
    /// into one array that token, option values and payload then share, so the message does not depend on
    /// the caller's buffer. Returns the reason when the bytes are not a well-formed message; never throws.
    /// </summary>
    public static CoapFormatError TryDecode(ReadOnlySpan<byte> datagram, out CoapMessage? message)
    {
        message = null;
        CoapFormatError error = CoapMessageReader.TryParse(datagram, out CoapMessageReader reader);
        if (error != CoapFormatError.None)
        {
            return error;
        }

        ReadOnlySpan<byte> body = datagram[CoapHeader.Size..];
        ReadOnlyMemory<byte> copy = body.IsEmpty ? ReadOnlyMemory<byte>.Empty : body.ToArray();
        var result = new CoapMessage
        {
            Type = reader.Header.Type,
            Code = reader.Header.Code,
            MessageId = reader.Header.MessageId,
            Token = copy[..reader.Token.Length],
            Payload = copy[(body.Length - reader.Payload.Length)..],
        };

        int count = 0;
        foreach (CoapOptionView option in reader.Options)
        {
            count++;
        }

        result.EnsureOptionCapacity(count);
        foreach (CoapOptionView option in reader.Options)
        {
            // Options arrive in wire order, which is already the order CoapMessage keeps.
            result.AppendOptionInOrder(new CoapOption(option.Number, Slice(copy, body, option.Value)));
        }

        message = result;
        return CoapFormatError.None;
    }

    // The part of the copy that mirrors a part of the original span.
    private static ReadOnlyMemory<byte> Slice(ReadOnlyMemory<byte> copy, ReadOnlySpan<byte> original, ReadOnlySpan<byte> part) =>
        !part.IsEmpty && original.Overlaps(part, out int offset) ? copy.Slice(offset, part.Length) : ReadOnlyMemory<byte>.Empty;

    private static int ExtendedSize(int value) => value < 13 ? 0 : value < 269 ? 1 : 2;

    private static int WriteExtended(Span<byte> destination, ref int offset, int value)
    {
        if (value < 13)
        {
            return value;
        }

        if (value < 269)
        {
            destination[offset++] = (byte)(value - 13);
            return 13;
        }

        BinaryPrimitives.WriteUInt16BigEndian(destination[offset..], (ushort)(value - 269));
        offset += 2;
        return 14;
    }
}
