using Tern.Coap.Messages;

namespace Tern.Coap.Tests.Messages;

/// <summary>Seeded generators of valid messages and of damaged datagrams for the codec properties.</summary>
internal static class RandomMessages
{
    private static readonly ushort[] Registered = [1, 3, 4, 5, 6, 7, 8, 11, 12, 14, 15, 17, 20, 23, 27, 28, 35, 39, 60, 258];

    /// <summary>A valid message: any type, a non-reserved code, token 0–8, options with repeats and large deltas/lengths.</summary>
    public static CoapMessage Next(Random rng)
    {
        var message = new CoapMessage
        {
            Type = (CoapMessageType)rng.Next(4),
            MessageId = (ushort)rng.Next(65536),
        };
        if (rng.Next(10) == 0)
        {
            message.Code = CoapCode.Empty; // §4.1: nothing may follow the header
            return message;
        }

        int codeClass = new[] { 0, 2, 3, 4, 5 }[rng.Next(5)];
        message.Code = new CoapCode(codeClass, codeClass == 0 ? rng.Next(1, 32) : rng.Next(32));
        message.Token = Bytes(rng, rng.Next(9));

        int count = rng.Next(10) == 0 ? rng.Next(10, 40) : rng.Next(8);
        ushort previous = 0;
        for (int i = 0; i < count; i++)
        {
            ushort number = rng.Next(10) switch
            {
                < 4 => Registered[rng.Next(Registered.Length)],
                < 7 => (ushort)rng.Next(301),
                < 9 => (ushort)rng.Next(65536),
                _ => previous, // repeat an option
            };
            message.AddOption(new CoapOption(number, Bytes(rng, OptionLength(rng))));
            previous = number;
        }

        if (rng.Next(2) == 0)
        {
            message.Payload = Bytes(rng, rng.Next(10) == 0 ? rng.Next(1, 3000) : rng.Next(1, 80));
        }

        return message;
    }

    /// <summary>A valid datagram damaged once: a bit flip, a byte replaced, inserted or removed, or a cut.</summary>
    public static byte[] Mutate(Random rng, byte[] datagram)
    {
        int at = rng.Next(datagram.Length + 1);
        int kind = datagram.Length == 0 ? 2 : rng.Next(5);
        int last = Math.Min(at, datagram.Length - 1);
        switch (kind)
        {
            case 0:
                byte[] flipped = (byte[])datagram.Clone();
                flipped[last] ^= (byte)(1 << rng.Next(8));
                return flipped;
            case 1:
                byte[] replaced = (byte[])datagram.Clone();
                replaced[last] = (byte)rng.Next(256);
                return replaced;
            case 2:
                return [.. datagram.AsSpan(0, at), (byte)rng.Next(256), .. datagram.AsSpan(at)];
            case 3:
                return [.. datagram.AsSpan(0, last), .. datagram.AsSpan(last + 1)];
            default:
                return datagram.AsSpan(0, at).ToArray();
        }
    }

    /// <summary>Random bytes; half the time with a version-1 first byte and TKL ≤ 8, to get past the header.</summary>
    public static byte[] Garbage(Random rng)
    {
        byte[] bytes = Bytes(rng, rng.Next(48));
        if (bytes.Length > 0 && rng.Next(2) == 0)
        {
            bytes[0] = (byte)(0x40 | (rng.Next(4) << 4) | rng.Next(9));
        }

        return bytes;
    }

    private static int OptionLength(Random rng) => rng.Next(100) switch
    {
        < 70 => rng.Next(13),
        < 90 => rng.Next(13, 300),
        < 99 => rng.Next(269, 1100),
        _ => rng.Next(60000, CoapMessageCodec.MaxOptionValueLength + 1),
    };

    private static byte[] Bytes(Random rng, int length)
    {
        byte[] bytes = new byte[length];
        rng.NextBytes(bytes);
        return bytes;
    }
}
