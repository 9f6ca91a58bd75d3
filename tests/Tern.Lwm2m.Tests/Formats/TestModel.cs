using Tern.Lwm2m.Definitions;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Tests.Formats;

/// <summary>
/// Definitions for format tests, written here so these tests do not depend on the built-in model:
/// the Device object (3) as LwM2M TS Core Appendix E.4 gives it, Temperature (3303, the resources the CBOR
/// vectors use), and a synthetic object with one single (ids 0–8) and one multiple (ids 10–18) resource
/// of every value type, known as 30000 and, for the CBOR tests' hex vectors, as 9999.
/// </summary>
internal sealed class TestModel : IObjectDefinitionProvider
{
    public const int AllTypesObject = 30000;

    /// <summary>The same all-types object under the id the CBOR tests' vectors were written with.</summary>
    public const int CborAllTypesObject = 9999;

    public static readonly Lwm2mResourceType[] ValueTypes =
    [
        Lwm2mResourceType.String, Lwm2mResourceType.Integer, Lwm2mResourceType.UnsignedInteger, Lwm2mResourceType.Float,
        Lwm2mResourceType.Boolean, Lwm2mResourceType.Opaque, Lwm2mResourceType.Time, Lwm2mResourceType.Objlnk, Lwm2mResourceType.Corelnk,
    ];

    public static TestModel Instance { get; } = new();

    private readonly Dictionary<int, ObjectDefinition> _objects = new()
    {
        [3] = Object(3, "Device",
            R(0, "Manufacturer", Lwm2mResourceType.String), R(1, "Model Number", Lwm2mResourceType.String),
            R(2, "Serial Number", Lwm2mResourceType.String), R(3, "Firmware Version", Lwm2mResourceType.String),
            R(4, "Reboot", Lwm2mResourceType.None, ops: Lwm2mOperations.Execute), R(5, "Factory Reset", Lwm2mResourceType.None, ops: Lwm2mOperations.Execute),
            R(6, "Available Power Sources", Lwm2mResourceType.Integer, multiple: true), R(7, "Power Source Voltage", Lwm2mResourceType.Integer, multiple: true),
            R(8, "Power Source Current", Lwm2mResourceType.Integer, multiple: true), R(9, "Battery Level", Lwm2mResourceType.Integer),
            R(10, "Memory Free", Lwm2mResourceType.Integer), R(11, "Error Code", Lwm2mResourceType.Integer, multiple: true),
            R(12, "Reset Error Code", Lwm2mResourceType.None, ops: Lwm2mOperations.Execute), R(13, "Current Time", Lwm2mResourceType.Time, ops: Lwm2mOperations.ReadWrite),
            R(14, "UTC Offset", Lwm2mResourceType.String, ops: Lwm2mOperations.ReadWrite), R(15, "Timezone", Lwm2mResourceType.String, ops: Lwm2mOperations.ReadWrite),
            R(16, "Supported Binding and Modes", Lwm2mResourceType.String), R(17, "Device Type", Lwm2mResourceType.String),
            R(18, "Hardware Version", Lwm2mResourceType.String), R(19, "Software Version", Lwm2mResourceType.String),
            R(20, "Battery Status", Lwm2mResourceType.Integer), R(21, "Memory Total", Lwm2mResourceType.Integer),
            R(22, "ExtDevInfo", Lwm2mResourceType.Objlnk, multiple: true)),
        [3303] = Object(3303, "Temperature", R(5700, "Sensor Value", Lwm2mResourceType.Float), R(5701, "Sensor Units", Lwm2mResourceType.String)),
        [AllTypesObject] = AllTypes(AllTypesObject),
        [CborAllTypesObject] = AllTypes(CborAllTypesObject),
    };

    public ObjectDefinition? GetObject(int objectId) => _objects.GetValueOrDefault(objectId);

    private static ObjectDefinition AllTypes(int id) => Object(id, "All types",
        [.. ValueTypes.Select((t, k) => R(k, $"Single {t}", t, ops: Lwm2mOperations.ReadWrite)),
         .. ValueTypes.Select((t, k) => R(10 + k, $"Multiple {t}", t, multiple: true, ops: Lwm2mOperations.ReadWrite))]);

    private static ResourceDefinition R(int id, string name, Lwm2mResourceType type, bool multiple = false, Lwm2mOperations ops = Lwm2mOperations.Read) =>
        new(id, name, ops, multiple, Mandatory: false, type);

    private static ObjectDefinition Object(int id, string name, params ResourceDefinition[] resources) =>
        new(id, name, "1.0", "1.0", Multiple: true, Mandatory: false, $"urn:oma:lwm2m:x:{id}", resources.ToDictionary(r => r.Id));
}
