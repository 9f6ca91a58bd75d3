using System.Text;
using Tern.Lwm2m.Formats.Cbor;
using static Tern.Lwm2m.Tests.Formats.Cbor.CborTree;

namespace Tern.Lwm2m.Tests.Formats.Cbor;

public class CborPropertyTests
{
    private static CborItem RandomItem(Random random, int depth)
    {
        int kind = random.Next(depth > 5 ? 8 : 11);
        switch (kind)
        {
            case 0: return new CUnsigned(RandomUlong(random));
            case 1: return new CNeg(RandomUlong(random));
            case 2:
                byte[] bytes = new byte[random.Next(0, 40)];
                random.NextBytes(bytes);
                return new CBytes(bytes);
            case 3:
                var sb = new StringBuilder();
                int length = random.Next(0, 12);
                for (int i = 0; i < length; i++)
                {
                    sb.Append(random.Next(4) switch { 0 => 'a', 1 => 'ü', 2 => '水', _ => (char)random.Next(32, 127) });
                }

                return new CText(sb.ToString());
            case 4:
                double d = random.Next(5) switch
                {
                    0 => random.NextDouble() * 1000,
                    1 => random.Next(-70000, 70000),
                    2 => (float)(random.NextDouble() * 1e10),
                    3 => random.Next(-100, 100) / 8.0,
                    _ => BitConverter.Int64BitsToDouble(((long)random.Next() << 32) | (uint)random.Next()),
                };
                return new CFloat(double.IsNaN(d) ? 0.5 : d);
            case 5: return new CSimple((byte)random.Next(20, 24));
            case 6: return new CSimple(random.Next(2) == 0 ? (byte)random.Next(0, 20) : (byte)random.Next(32, 256));
            case 7: return new CUnsigned((ulong)random.Next(0, 30));
            case 8: return new CTag(RandomUlong(random), RandomItem(random, depth + 1));
            case 9:
                return new CArray(Enumerable.Range(0, random.Next(0, 5)).Select(_ => RandomItem(random, depth + 1)).ToList());
            default:
                return new CMap(Enumerable.Range(0, random.Next(0, 5)).Select(_ => (RandomItem(random, depth + 1), RandomItem(random, depth + 1))).ToList());
        }
    }

    private static ulong RandomUlong(Random random) => random.Next(4) switch
    {
        0 => (ulong)random.Next(0, 24),
        1 => (ulong)random.Next(0, 70000),
        2 => (ulong)random.NextInt64(),
        _ => (ulong)random.NextInt64() * 2 + 1,
    };

    [Fact]
    public void Random_trees_round_trip_through_writer_and_reader()
    {
        var random = new Random(8949);
        for (int i = 0; i < 3000; i++)
        {
            CborItem item = RandomItem(random, 0);
            byte[] encoded = Write(item);
            CborItem? read = Read(encoded, out CborError error);
            Assert.True(read is not null, $"{item} -> {ToHex(encoded)}: {error}");
            Assert.Equal(item.ToString(), read.ToString());
            Assert.Equal(encoded, Write(read));

            var skipper = new CborReader(encoded);
            Assert.True(skipper.TrySkipValue());
            Assert.Equal(encoded.Length, skipper.Offset);
        }
    }

    [Fact]
    public void Every_truncation_of_a_valid_item_fails_as_truncated()
    {
        var random = new Random(7049);
        for (int i = 0; i < 300; i++)
        {
            byte[] encoded = Write(RandomItem(random, 0));
            for (int cut = 0; cut < encoded.Length; cut++)
            {
                Assert.Null(Read(encoded.AsSpan(0, cut), out CborError error));
                Assert.True(error.Kind is CborErrorKind.Truncated or CborErrorKind.TooLarge, $"{ToHex(encoded)} cut at {cut}: {error}");
            }
        }
    }

    [Fact]
    public void Random_bytes_and_mutations_never_throw_and_never_overrun()
    {
        var random = new Random(1234);
        for (int i = 0; i < 20000; i++)
        {
            byte[] data;
            if (i % 2 == 0)
            {
                data = new byte[random.Next(0, 48)];
                random.NextBytes(data);
            }
            else
            {
                data = Write(RandomItem(random, 0));
                int flips = random.Next(1, 4);
                for (int f = 0; f < flips && data.Length > 0; f++)
                {
                    data[random.Next(data.Length)] = (byte)random.Next(256);
                }
            }

            CborItem? item = Read(data, out CborError error);
            Assert.True(item is not null || error.Kind != CborErrorKind.None);
            Assert.True(error.Offset <= data.Length);

            var skipper = new CborReader(data);
            if (skipper.TrySkipValue())
            {
                Assert.NotNull(item ?? Read(data.AsSpan(0, skipper.Offset), out _));
            }
        }
    }
}
