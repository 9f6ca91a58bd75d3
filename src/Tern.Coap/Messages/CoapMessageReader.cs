using System.Buffers.Binary;

namespace Tern.Coap.Messages;

/// <summary>
/// A zero-allocation view of a datagram: header, token, options and payload read in place.
/// <see cref="TryParse"/> validates the whole message once, so option enumeration after it cannot fail.
/// </summary>
public readonly ref struct CoapMessageReader
{
    private readonly ReadOnlySpan<byte> _options;

    private CoapMessageReader(CoapHeader header, ReadOnlySpan<byte> token, ReadOnlySpan<byte> options, ReadOnlySpan<byte> payload)
    {
        Header = header;
        Token = token;
        _options = options;
        Payload = payload;
    }

    /// <summary>The header.</summary>
    public CoapHeader Header { get; }

    /// <summary>The token bytes.</summary>
    public ReadOnlySpan<byte> Token { get; }

    /// <summary>The payload bytes (without the marker).</summary>
    public ReadOnlySpan<byte> Payload { get; }

    /// <summary>Enumerates the options in wire order.</summary>
    public OptionEnumerator Options => new(_options);

    /// <summary>
    /// Parses and validates a datagram. On failure <paramref name="reader"/> still carries the header
    /// when one could be read, so the engine can answer with RST to a malformed CON.
    /// </summary>
    public static CoapFormatError TryParse(ReadOnlySpan<byte> datagram, out CoapMessageReader reader)
    {
        reader = default;
        CoapFormatError error = CoapHeader.TryRead(datagram, out CoapHeader header);
        if (error != CoapFormatError.None)
        {
            reader = new CoapMessageReader(header, default, default, default);
            return error;
        }

        reader = new CoapMessageReader(header, default, default, default);
        int offset = CoapHeader.Size;
        if (datagram.Length < offset + header.TokenLength)
        {
            return CoapFormatError.TruncatedToken;
        }

        ReadOnlySpan<byte> token = datagram.Slice(offset, header.TokenLength);
        offset += header.TokenLength;
        int optionsStart = offset;
        int number = 0;
        var walker = new OptionEnumerator(datagram[offset..]);
        while (true)
        {
            error = walker.Step(ref number, out bool done);
            if (error != CoapFormatError.None)
            {
                return error;
            }

            if (done)
            {
                break;
            }
        }

        int optionsEnd = datagram.Length - walker.Remaining;
        ReadOnlySpan<byte> payload = default;
        if (walker.Remaining > 0)
        {
            // The walker stopped at a payload marker.
            if (walker.Remaining == 1)
            {
                return CoapFormatError.PayloadMarkerWithoutPayload;
            }

            payload = datagram[(optionsEnd + 1)..];
        }

        ReadOnlySpan<byte> options = datagram[optionsStart..optionsEnd];
        if (header.Code.IsEmpty && (header.TokenLength != 0 || !options.IsEmpty || !payload.IsEmpty || datagram.Length > CoapHeader.Size))
        {
            reader = new CoapMessageReader(header, token, options, payload);
            return CoapFormatError.EmptyMessageNotEmpty;
        }

        reader = new CoapMessageReader(header, token, options, payload);
        return header.Code.Class is 1 or 6 or 7 ? CoapFormatError.ReservedCodeClass : CoapFormatError.None;
    }

    /// <summary>Walks the options of a validated message. Each item is the absolute number and its value.</summary>
    public ref struct OptionEnumerator
    {
        private ReadOnlySpan<byte> _rest;
        private int _number;

        internal OptionEnumerator(ReadOnlySpan<byte> rest)
        {
            _rest = rest;
            _number = 0;
            Current = default;
        }

        /// <summary>The current option's number and value.</summary>
        public CoapOptionView Current { get; private set; }

        internal readonly int Remaining => _rest.Length;

        /// <summary>Returns this enumerator (for <c>foreach</c>).</summary>
        public readonly OptionEnumerator GetEnumerator() => this;

        /// <summary>Advances to the next option; false at the payload marker or the end.</summary>
        public bool MoveNext()
        {
            return Step(ref _number, out bool done) == CoapFormatError.None && !done;
        }

        internal CoapFormatError Step(ref int number, out bool done)
        {
            done = false;
            if (_rest.IsEmpty || _rest[0] == 0xFF)
            {
                done = true;
                return CoapFormatError.None;
            }

            int deltaNibble = _rest[0] >> 4;
            int lengthNibble = _rest[0] & 0x0F;
            int offset = 1;
            if (deltaNibble == 15)
            {
                return CoapFormatError.ReservedOptionDelta;
            }

            if (lengthNibble == 15)
            {
                return CoapFormatError.ReservedOptionLength;
            }

            if (!TryReadExtended(_rest, ref offset, deltaNibble, out int delta) ||
                !TryReadExtended(_rest, ref offset, lengthNibble, out int length))
            {
                return CoapFormatError.TruncatedOption;
            }

            if (number + delta > ushort.MaxValue)
            {
                return CoapFormatError.OptionNumberTooLarge;
            }

            if (_rest.Length - offset < length)
            {
                return CoapFormatError.TruncatedOption;
            }

            number += delta;
            Current = new CoapOptionView((ushort)number, _rest.Slice(offset, length));
            _rest = _rest[(offset + length)..];
            return CoapFormatError.None;
        }

        private static bool TryReadExtended(ReadOnlySpan<byte> span, ref int offset, int nibble, out int value)
        {
            switch (nibble)
            {
                case 13:
                    if (span.Length < offset + 1)
                    {
                        value = 0;
                        return false;
                    }

                    value = span[offset] + 13;
                    offset += 1;
                    return true;
                case 14:
                    if (span.Length < offset + 2)
                    {
                        value = 0;
                        return false;
                    }

                    value = BinaryPrimitives.ReadUInt16BigEndian(span[offset..]) + 269;
                    offset += 2;
                    return true;
                default:
                    value = nibble;
                    return true;
            }
        }
    }
}

/// <summary>One option read in place from a datagram.</summary>
public readonly ref struct CoapOptionView
{
    /// <summary>Creates a view.</summary>
    public CoapOptionView(ushort number, ReadOnlySpan<byte> value)
    {
        Number = number;
        Value = value;
    }

    /// <summary>The absolute option number.</summary>
    public ushort Number { get; }

    /// <summary>The raw option value.</summary>
    public ReadOnlySpan<byte> Value { get; }
}
