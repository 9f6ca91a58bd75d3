using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Tests.Formats;

/// <summary>The Device object instance the LwM2M TS uses in its data-format examples (TS 1.0 §6.4, TS 1.1 §7.4).</summary>
internal static class DeviceExample
{
    public static Lwm2mObjectInstance Instance { get; } = new(0,
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
        new Lwm2mSingleResource(13, Lwm2mValue.FromUnixTime(0x5182428F)),
        new Lwm2mSingleResource(14, Lwm2mValue.FromString("+02:00")),
        new Lwm2mSingleResource(16, Lwm2mValue.FromString("U")),
    ]);

    /// <summary>The TLV encoding of the instance as printed in the TS (121 bytes), one resource a line.</summary>
    public const string TlvHex =
        "C800144F70656E204D6F62696C6520416C6C69616E6365" +
        "C801164C69676874776569676874204D324D20436C69656E74" +
        "C80209333435303030313233" +
        "C303312E30" +
        "8606410001410105" +
        "88070842000ED842011388" +
        "870841007D42010384" +
        "C10964" +
        "C10A0F" +
        "830B410000" +
        "C40D5182428F" +
        "C60E2B30323A3030" +
        "C11055";

    public static Lwm2mMultipleResource Multi(int id, params long[] values) =>
        new(id, Lwm2mResourceType.Integer, [.. values.Select((v, k) => new Lwm2mResourceInstance(k, Lwm2mValue.FromInteger(v)))]);
}

/// <summary>The JSON texts of the Device instance the TS prints (TS 1.1 §7.4.5 SenML JSON, TS 1.0 §6.4.4 OMA JSON).</summary>
internal static class DeviceJsonExamples
{
    public const string SenmlJson =
        """[{"bn":"/3/0/","n":"0","vs":"Open Mobile Alliance"},{"n":"1","vs":"Lightweight M2M Client"},{"n":"2","vs":"345000123"},""" +
        """{"n":"3","vs":"1.0"},{"n":"6/0","v":1},{"n":"6/1","v":5},{"n":"7/0","v":3800},{"n":"7/1","v":5000},{"n":"8/0","v":125},""" +
        """{"n":"8/1","v":900},{"n":"9","v":100},{"n":"10","v":15},{"n":"11/0","v":0},{"n":"13","v":1367491215},{"n":"14","vs":"+02:00"},""" +
        """{"n":"16","vs":"U"}]""";

    public const string OmaJson =
        """{"bn":"/3/0/","e":[{"n":"0","sv":"Open Mobile Alliance"},{"n":"1","sv":"Lightweight M2M Client"},{"n":"2","sv":"345000123"},""" +
        """{"n":"3","sv":"1.0"},{"n":"6/0","v":1},{"n":"6/1","v":5},{"n":"7/0","v":3800},{"n":"7/1","v":5000},{"n":"8/0","v":125},""" +
        """{"n":"8/1","v":900},{"n":"9","v":100},{"n":"10","v":15},{"n":"11/0","v":0},{"n":"13","v":1367491215},{"n":"14","sv":"+02:00"},""" +
        """{"n":"16","sv":"U"}]}""";
}
