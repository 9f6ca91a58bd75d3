using System.Buffers;
using System.Text;
using Tern.Lwm2m.Formats;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Tests.Formats;

/// <summary>Seeded random nodes of object <see cref="TestModel.AllTypesObject"/>, for round-trip properties.</summary>
internal static class RandomTrees
{
    private static readonly string[] Pieces = ["a", "Z", "0", " ", "\"", "\\", "/", "é", "中", "😀", "\n", "\t", "\u0001", ",", ";", "<", ">", "=", "+"];

    public static Lwm2mValue Value(Random rng, Lwm2mResourceType type) => type switch
    {
        Lwm2mResourceType.String => Lwm2mValue.FromString(Text(rng)),
        Lwm2mResourceType.Corelnk => Lwm2mValue.FromCoreLink(Text(rng)),
        Lwm2mResourceType.Integer => Lwm2mValue.FromInteger(Number(rng)),
        Lwm2mResourceType.UnsignedInteger => Lwm2mValue.FromUnsignedInteger(unchecked((ulong)Number(rng))),
        Lwm2mResourceType.Float => Lwm2mValue.FromFloat(rng.Next(4) switch
        {
            0 => rng.Next(-1000, 1000),
            1 => (float)(rng.NextDouble() * 100),
            2 => (rng.NextDouble() - 0.5) * Math.Pow(10, rng.Next(-30, 30)),
            _ => BitConverter.Int64BitsToDouble(rng.NextInt64()) is var d && double.IsFinite(d) ? d : 0.25,
        }),
        Lwm2mResourceType.Boolean => Lwm2mValue.FromBoolean(rng.Next(2) == 1),
        Lwm2mResourceType.Opaque => Lwm2mValue.FromOpaque(Bytes(rng)),
        Lwm2mResourceType.Time => Lwm2mValue.FromUnixTime(rng.Next(2) == 0 ? rng.NextInt64(0, 4_000_000_000) : Number(rng)),
        Lwm2mResourceType.Objlnk => Lwm2mValue.FromObjectLink(new Lwm2mObjectLink((ushort)rng.Next(65536), (ushort)rng.Next(65536))),
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    public static Lwm2mSingleResource Single(Random rng, int typeIndex) =>
        new(typeIndex, Value(rng, TestModel.ValueTypes[typeIndex]));

    public static Lwm2mMultipleResource Multiple(Random rng, int typeIndex)
    {
        Lwm2mResourceType type = TestModel.ValueTypes[typeIndex];
        int[] ids = Ids(rng, rng.Next(0, 4), 70000);
        return new Lwm2mMultipleResource(10 + typeIndex, type, [.. ids.Select(id => new Lwm2mResourceInstance(id, Value(rng, type)))]);
    }

    public static Lwm2mResource Resource(Random rng) =>
        rng.Next(2) == 0 ? Single(rng, rng.Next(TestModel.ValueTypes.Length)) : Multiple(rng, rng.Next(TestModel.ValueTypes.Length));

    public static Lwm2mObjectInstance Instance(Random rng, int id)
    {
        var resources = new List<Lwm2mResource>();
        for (int k = 0; k < TestModel.ValueTypes.Length; k++)
        {
            if (rng.Next(3) == 0)
            {
                resources.Add(Single(rng, k));
            }
        }

        for (int k = 0; k < TestModel.ValueTypes.Length; k++)
        {
            if (rng.Next(3) == 0)
            {
                resources.Add(Multiple(rng, k));
            }
        }

        return new Lwm2mObjectInstance(id, resources);
    }

    public static Lwm2mObject Object(Random rng) =>
        new(TestModel.AllTypesObject, [.. Ids(rng, rng.Next(0, 4), 65535).Select(id => Instance(rng, id))]);

    /// <summary>A random node at a random level, with the path it lives at.</summary>
    public static (Lwm2mPath Path, Lwm2mNode Node) AnyLevel(Random rng)
    {
        int o = TestModel.AllTypesObject, i = rng.Next(65535);
        switch (rng.Next(4))
        {
            case 0:
                return (new Lwm2mPath(o), Object(rng));
            case 1:
                return (new Lwm2mPath(o, i), Instance(rng, i));
            case 2:
                Lwm2mResource r = Resource(rng);
                return (new Lwm2mPath(o, i, r.Id), r);
            default:
                int t = rng.Next(TestModel.ValueTypes.Length), ri = rng.Next(65535);
                return (new Lwm2mPath(o, i, 10 + t, ri), new Lwm2mResourceInstance(ri, Value(rng, TestModel.ValueTypes[t])));
        }
    }

    public static byte[] Encode(ILwm2mContentCodec codec, Lwm2mPath path, Lwm2mNode node)
    {
        var buffer = new ArrayBufferWriter<byte>();
        Lwm2mCodecError? error = codec.EncodeNode(path, node, buffer);
        Assert.Null(error);
        return buffer.WrittenSpan.ToArray();
    }

    private static long Number(Random rng) => rng.Next(5) switch
    {
        0 => rng.Next(-128, 128),
        1 => rng.Next(short.MinValue, short.MaxValue),
        2 => rng.Next(int.MinValue, int.MaxValue),
        3 => rng.NextInt64(long.MinValue, long.MaxValue),
        _ => rng.Next(2) == 0 ? long.MinValue : long.MaxValue,
    };

    private static string Text(Random rng)
    {
        var text = new StringBuilder();
        int n = rng.Next(0, 12);
        for (int k = 0; k < n; k++)
        {
            text.Append(Pieces[rng.Next(Pieces.Length)]);
        }

        return text.ToString();
    }

    private static byte[] Bytes(Random rng)
    {
        byte[] bytes = new byte[rng.Next(0, rng.Next(10) == 0 ? 300 : 20)];
        rng.NextBytes(bytes);
        return bytes;
    }

    private static int[] Ids(Random rng, int count, int bound) =>
        [.. Enumerable.Range(0, count).Select(_ => rng.Next(rng.Next(2) == 0 ? 300 : Math.Min(bound, 65535))).Distinct().Order()];
}
