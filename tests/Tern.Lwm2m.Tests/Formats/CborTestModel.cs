using System.Text;
using Tern.Lwm2m.Definitions;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Tests.Formats;

/// <summary>
/// Small object definitions for codec tests: the Device object (3) as the TS prints it, Temperature (3303)
/// and a test object 9999 with one single (ids 0–8) and one multiple (ids 10–18) resource of every type.
/// </summary>
public sealed class CborTestModel : IObjectDefinitionProvider
{
    public static readonly Lwm2mResourceType[] AllTypes =
    [
        Lwm2mResourceType.String, Lwm2mResourceType.Integer, Lwm2mResourceType.UnsignedInteger, Lwm2mResourceType.Float,
        Lwm2mResourceType.Boolean, Lwm2mResourceType.Opaque, Lwm2mResourceType.Time, Lwm2mResourceType.Objlnk, Lwm2mResourceType.Corelnk,
    ];

    public static readonly CborTestModel Instance = new();

    private readonly Dictionary<int, ObjectDefinition> _objects = [];

    private CborTestModel()
    {
        Add(3, "Device", false,
            R(0, "Manufacturer", Lwm2mResourceType.String),
            R(1, "Model Number", Lwm2mResourceType.String),
            R(2, "Serial Number", Lwm2mResourceType.String),
            R(3, "Firmware Version", Lwm2mResourceType.String),
            R(4, "Reboot", Lwm2mResourceType.None, ops: Lwm2mOperations.Execute),
            R(6, "Available Power Sources", Lwm2mResourceType.Integer, multiple: true),
            R(7, "Power Source Voltage", Lwm2mResourceType.Integer, multiple: true),
            R(8, "Power Source Current", Lwm2mResourceType.Integer, multiple: true),
            R(9, "Battery Level", Lwm2mResourceType.Integer),
            R(10, "Memory Free", Lwm2mResourceType.Integer),
            R(11, "Error Code", Lwm2mResourceType.Integer, multiple: true),
            R(13, "Current Time", Lwm2mResourceType.Time),
            R(14, "UTC Offset", Lwm2mResourceType.String),
            R(16, "Supported Binding and Modes", Lwm2mResourceType.String));
        Add(3303, "Temperature", true, R(5700, "Sensor Value", Lwm2mResourceType.Float), R(5701, "Sensor Units", Lwm2mResourceType.String));
        var test = new List<ResourceDefinition>();
        for (int i = 0; i < AllTypes.Length; i++)
        {
            test.Add(R(i, $"Single {AllTypes[i]}", AllTypes[i]));
            test.Add(R(10 + i, $"Multiple {AllTypes[i]}", AllTypes[i], multiple: true));
        }

        Add(9999, "Test", true, [.. test]);
    }

    public ObjectDefinition? GetObject(int objectId) => _objects.GetValueOrDefault(objectId);

    private void Add(int id, string name, bool multiple, params ResourceDefinition[] resources) =>
        _objects[id] = new ObjectDefinition(id, name, "1.0", "1.1", multiple, false, $"urn:oma:lwm2m:oma:{id}", resources.ToDictionary(r => r.Id));

    private static ResourceDefinition R(int id, string name, Lwm2mResourceType type, bool multiple = false, Lwm2mOperations ops = Lwm2mOperations.Read) =>
        new(id, name, ops, multiple, false, type);

    /// <summary>The Device object instance of the TS examples (TS Core §7.4.3 and later).</summary>
    public static Lwm2mObjectInstance DeviceInstance() => new(0,
    [
        new Lwm2mSingleResource(0, Lwm2mValue.FromString("Open Mobile Alliance")),
        new Lwm2mSingleResource(1, Lwm2mValue.FromString("Lightweight M2M Client")),
        new Lwm2mSingleResource(2, Lwm2mValue.FromString("345000123")),
        new Lwm2mSingleResource(3, Lwm2mValue.FromString("1.0")),
        Multi(6, 1, 5),
        Multi(7, 3800, 5000),
        Multi(8, 125, 900),
        new Lwm2mSingleResource(9, Lwm2mValue.FromInteger(100)),
        new Lwm2mSingleResource(10, Lwm2mValue.FromInteger(15)),
        Multi(11, 0),
        new Lwm2mSingleResource(13, Lwm2mValue.FromUnixTime(1367491215)),
        new Lwm2mSingleResource(14, Lwm2mValue.FromString("+02:00")),
        new Lwm2mSingleResource(16, Lwm2mValue.FromString("U")),
    ]);

    private static Lwm2mMultipleResource Multi(int id, params long[] values) =>
        new(id, Lwm2mResourceType.Integer, values.Select((v, i) => new Lwm2mResourceInstance(i, Lwm2mValue.FromInteger(v))).ToList());

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

    /// <summary>A random instance of test object 9999, resources and resource instances in ascending id order.</summary>
    public static Lwm2mObjectInstance RandomInstance(Random random, int id)
    {
        var resources = new List<Lwm2mResource>();
        for (int r = 0; r < 19; r++)
        {
            if (r == 9 || (r > 0 && random.Next(3) == 0))
            {
                continue;
            }

            Lwm2mResourceType type = AllTypes[r % 10];
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
        new(9999, Enumerable.Range(0, random.Next(0, 4)).Select(_ => random.Next(0, 65535)).Distinct().Order().Select(i => RandomInstance(random, i)).ToList());
}
