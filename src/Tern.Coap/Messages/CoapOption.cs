using System.Buffers.Binary;
using System.Text;

namespace Tern.Coap.Messages;

/// <summary>One option instance: its number and its raw value bytes (RFC 7252 §3.1, §5.4).</summary>
/// <param name="Number">The option number, see <see cref="CoapOptionNumber"/>.</param>
/// <param name="Value">The raw value; uint options are big-endian without leading zero bytes.</param>
public readonly record struct CoapOption(ushort Number, ReadOnlyMemory<byte> Value)
{
    /// <summary>An option carrying a UTF-8 string.</summary>
    public static CoapOption FromString(ushort number, string value) => new(number, Encoding.UTF8.GetBytes(value));

    /// <summary>An option carrying an unsigned integer in the shortest big-endian form (0 is zero bytes).</summary>
    public static CoapOption FromUInt(ushort number, uint value)
    {
        Span<byte> buffer = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(buffer, value);
        int skip = 0;
        while (skip < 4 && buffer[skip] == 0)
        {
            skip++;
        }

        return new CoapOption(number, buffer[skip..].ToArray());
    }

    /// <summary>Reads the value as a UTF-8 string.</summary>
    public string GetString() => Encoding.UTF8.GetString(Value.Span);

    /// <summary>Reads the value as an unsigned integer; values longer than 4 bytes yield <c>false</c>.</summary>
    public bool TryGetUInt(out uint value) => TryReadUInt(Value.Span, out value);

    /// <summary>Reads a uint option value: up to four big-endian bytes, empty meaning 0.</summary>
    public static bool TryReadUInt(ReadOnlySpan<byte> bytes, out uint value)
    {
        value = 0;
        if (bytes.Length > 4)
        {
            return false;
        }

        foreach (byte b in bytes)
        {
            value = (value << 8) | b;
        }

        return true;
    }
}
