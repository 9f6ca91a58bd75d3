namespace Tern.Lwm2m.Formats.Tlv;

/// <summary>Reads TLV headers. Offsets are absolute in the payload, so errors name the byte where they occur.</summary>
internal static class TlvHeader
{
    /// <summary>
    /// Reads the element starting at <paramref name="position"/>, which must end by <paramref name="limit"/>
    /// (the end of the payload or of the enclosing TLV). An element running past the payload is Truncated;
    /// one running past its enclosing TLV but not the payload is Malformed.
    /// </summary>
    public static Lwm2mCodecError? Read(ReadOnlySpan<byte> payload, int position, int limit, out TlvElement element)
    {
        element = default;
        int p = position;
        if (p >= limit)
        {
            return new Lwm2mCodecError(Lwm2mCodecErrorKind.Truncated, "A TLV type byte is missing.", p);
        }

        byte type = payload[p++];
        int idBytes = (type & 0x20) != 0 ? 2 : 1;
        int lengthBytes = (type >> 3) & 0x03;
        if (limit - p < idBytes + lengthBytes)
        {
            return Overrun(payload, limit, position, "The TLV header ends early.");
        }

        int id = idBytes == 1 ? payload[p] : (payload[p] << 8) | payload[p + 1];
        p += idBytes;
        int length = lengthBytes == 0 ? type & 0x07 : 0;
        for (int k = 0; k < lengthBytes; k++)
        {
            length = (length << 8) | payload[p++];
        }

        if (id > Model.Lwm2mPath.MaxId)
        {
            return new Lwm2mCodecError(Lwm2mCodecErrorKind.InvalidPath, $"TLV id {id} is reserved; ids are 0–65534.", position + 1);
        }

        if (length > limit - p)
        {
            return Overrun(payload, limit, position, $"The TLV claims {length} value bytes but only {limit - p} remain.");
        }

        element = new TlvElement((TlvKind)(type >> 6), id, position, p, length);
        return null;
    }

    private static Lwm2mCodecError Overrun(ReadOnlySpan<byte> payload, int limit, int position, string message) =>
        limit >= payload.Length
            ? new Lwm2mCodecError(Lwm2mCodecErrorKind.Truncated, message, position)
            : new Lwm2mCodecError(Lwm2mCodecErrorKind.Malformed, message + " It overruns its enclosing TLV.", position);

    /// <summary>The number of header bytes for an element with <paramref name="id"/> and <paramref name="length"/> value bytes.</summary>
    public static int Size(int id, int length) =>
        1 + (id > 0xFF ? 2 : 1) + (length < 8 ? 0 : length <= 0xFF ? 1 : length <= 0xFFFF ? 2 : 3);

    /// <summary>Writes a header in its shortest form; returns the bytes written.</summary>
    public static int Write(Span<byte> destination, TlvKind kind, int id, int length)
    {
        int type = (int)kind << 6;
        int p = 1;
        if (id > 0xFF)
        {
            type |= 0x20;
            destination[p++] = (byte)(id >> 8);
        }

        destination[p++] = (byte)id;
        if (length < 8)
        {
            type |= length;
        }
        else
        {
            int lengthBytes = length <= 0xFF ? 1 : length <= 0xFFFF ? 2 : 3;
            type |= lengthBytes << 3;
            for (int k = lengthBytes - 1; k >= 0; k--)
            {
                destination[p++] = (byte)(length >> (8 * k));
            }
        }

        destination[0] = (byte)type;
        return p;
    }
}
