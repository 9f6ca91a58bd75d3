using System.Text;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Tests.Formats;

/// <summary>
/// Seeded random values and trees of the all-types object <see cref="TestModel.CborAllTypesObject"/>, as the
/// CBOR round-trip properties were written against (kept apart from <see cref="RandomTrees"/> so their
/// seeds keep producing the same cases).
/// </summary>
internal static class CborRandomTrees
{
    public static Lwm2mValue RandomValue(Random random, Lwm2mResourceType type) => type switch
    {
        Lwm2mResourceType.String => Lwm2mValue.FromString(RandomText(random)),
        Lwm2mResourceType.Integer => Lwm2mValue.FromInteger(random.Next(3) switch { 0 => random.Next(-30, 30), 1 => random.NextInt64(long.MinValue, long.MaxValue), _ => random.Next() }),
        Lwm2mResourceType.UnsignedInteger => Lwm2mValue.FromUnsignedInteger(random.Next(2) == 0 ? (ulong)random.Next(100) : (ulong)random.NextInt64() * 2 + 1),
        Lwm2mResourceType.Float => Lwm2mValue.FromFloat(random.Next(4) switch { 0 => random.Next(-1000, 1000) / 4.0, 1 => random.NextDouble() * 1e6, 2 => (float)random.NextDouble(), _ => -random.NextDouble() * 1e-300 }),
        Lwm2mResourceType.Boolean => Lwm2mValue.FromBoolean(random.Next(2) == 0),
        Lwm2mResourceType.Opaque => Lwm2mValue.FromOpaque(RandomBytes(random)),
        Lwm2mResourceType.Time => Lwm2mValue.FromUnixTime(random.Next(2) == 0 ? random.Next() : random.NextInt64(0, 253402300799)),
        Lwm2mResourceType.Objlnk => Lwm2mValue.FromObjectLink(new Lwm2mObjectLink((ushort)random.Next(65536), (ushort)random.Next(65536))),
        _ => Lwm2mValue.FromCoreLink($"</{random.Next(100)}/{random.Next(10)}>;ct=60"),
    };

    private static byte[] RandomBytes(Random random)
    {
        byte[] bytes = new byte[random.Next(0, 30)];
        random.NextBytes(bytes);
        return bytes;
    }

    private static string RandomText(Random random)
    {
        var sb = new StringBuilder();
        int n = random.Next(0, 15);
        for (int i = 0; i < n; i++)
        {
            sb.Append(random.Next(5) switch { 0 => 'é', 1 => '水', _ => (char)random.Next(32, 127) });
        }

        return sb.ToString();
    }

    /// <summary>A random instance of the all-types object, resources and resource instances in ascending id order.</summary>
    public static Lwm2mObjectInstance RandomInstance(Random random, int id)
    {
        var resources = new List<Lwm2mResource>();
        for (int r = 0; r < 19; r++)
        {
            if (r == 9 || (r > 0 && random.Next(3) == 0))
            {
                continue;
            }

            Lwm2mResourceType type = TestModel.ValueTypes[r % 10];
            if (r < 10)
            {
                resources.Add(new Lwm2mSingleResource(r, RandomValue(random, type)));
            }
            else
            {
                var ids = Enumerable.Range(0, random.Next(1, 4)).Select(_ => random.Next(0, 65535)).Distinct().Order().ToList();
                resources.Add(new Lwm2mMultipleResource(r, type, ids.Select(i => new Lwm2mResourceInstance(i, RandomValue(random, type))).ToList()));
            }
        }

        return new Lwm2mObjectInstance(id, resources);
    }

    public static Lwm2mObject RandomObject(Random random) =>
        new(TestModel.CborAllTypesObject, Enumerable.Range(0, random.Next(0, 4)).Select(_ => random.Next(0, 65535)).Distinct().Order().Select(i => RandomInstance(random, i)).ToList());
}
