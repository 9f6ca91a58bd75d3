using System.Buffers;
using Tern.Lwm2m.Formats;
using Tern.Lwm2m.Formats.SenmlCbor;
using Tern.Lwm2m.Model;
using Tern.Lwm2m.Formats.Cbor;
using static Tern.Lwm2m.Tests.Formats.Cbor.CborTree;

namespace Tern.Lwm2m.Tests.Formats.SenmlCbor;

/// <summary>
/// SenML CBOR (112). The vectors are hand-derived from RFC 8428 §6 (integer labels bn -2, bt -3, n 0, v 2,
/// vs 3, vb 4, t 6, vd 8) and LwM2M TS 1.1 Core §7.4.5 ("vlo" for Objlnk); the diagnostic form is beside each.
/// </summary>
public class SenmlCborCodecTests
{
    private const string Oma = "744f70656e204d6f62696c6520416c6c69616e6365"; // "Open Mobile Alliance"
    private static readonly SenmlCborCodec Codec = new();

    private static string EncodeNode(string path, Lwm2mNode node)
    {
        var buffer = new ArrayBufferWriter<byte>();
        Assert.Null(Codec.EncodeNode(Lwm2mPath.Parse(path), node, buffer));
        return ToHex(buffer.WrittenSpan);
    }

    private static string EncodeRecords(params Lwm2mRecord[] records)
    {
        var buffer = new ArrayBufferWriter<byte>();
        Assert.Null(Codec.EncodeRecords(records, buffer));
        return ToHex(buffer.WrittenSpan);
    }

    private static IReadOnlyList<Lwm2mRecord> DecodeRecords(string hex)
    {
        Lwm2mCodecResult<IReadOnlyList<Lwm2mRecord>> decoded = Codec.DecodeRecords(Hex(hex), TestModel.Instance);
        Assert.True(decoded.IsSuccess, decoded.Error?.ToString());
        return decoded.Value!;
    }

    [Fact]
    public void Single_resource_is_one_record_named_by_its_base_name()
    {
        // [{-2: "/3/0/0", 3: "Open Mobile Alliance"}]
        string hex = "81a221662f332f302f3003" + Oma;
        var node = new Lwm2mSingleResource(0, Lwm2mValue.FromString("Open Mobile Alliance"));
        Assert.Equal(hex, EncodeNode("/3/0/0", node));
        Assert.Equal(node, Codec.DecodeNode(Hex(hex), Lwm2mPath.Parse("/3/0/0"), TestModel.Instance).Value);
    }

    [Fact]
    public void Instance_records_carry_names_relative_to_the_instance_base_name()
    {
        // [{-2: "/3/0/", 0: "0", 3: "Open Mobile Alliance"}, {0: "6/0", 2: 1}, {0: "6/1", 2: 5}, {0: "9", 2: 100}]
        string hex = "84a321652f332f302f00613003" + Oma + "a20063362f300201" + "a20063362f310205" + "a20061390218" + "64";
        var node = new Lwm2mObjectInstance(0,
        [
            new Lwm2mSingleResource(0, Lwm2mValue.FromString("Open Mobile Alliance")),
            new Lwm2mMultipleResource(6, Lwm2mResourceType.Integer, [new(0, Lwm2mValue.FromInteger(1)), new(1, Lwm2mValue.FromInteger(5))]),
            new Lwm2mSingleResource(9, Lwm2mValue.FromInteger(100)),
        ]);
        Assert.Equal(hex, EncodeNode("/3/0", node));
        Assert.Equal(node, Codec.DecodeNode(Hex(hex), Lwm2mPath.Parse("/3/0"), TestModel.Instance).Value);
    }

    [Fact]
    public void Object_link_uses_the_vlo_text_label()
    {
        // [{-2: "/9999/0/7", "vlo": "3:0"}]
        string hex = "81a221692f393939392f302f3763766c6f63333a30";
        var node = new Lwm2mSingleResource(7, Lwm2mValue.FromObjectLink(new Lwm2mObjectLink(3, 0)));
        Assert.Equal(hex, EncodeNode("/9999/0/7", node));
        Assert.Equal(node, Codec.DecodeNode(Hex(hex), Lwm2mPath.Parse("/9999/0/7"), TestModel.Instance).Value);
    }

    [Fact]
    public void Opaque_uses_vd_with_raw_bytes_and_boolean_uses_vb()
    {
        // [{-2: "/9999/0/", 0: "4", 4: true}, {0: "5", 8: h'0102'}]
        string hex = "82a321682f393939392f302f00613404f5a2006135084201" + "02";
        var node = new Lwm2mObjectInstance(0, [new Lwm2mSingleResource(4, Lwm2mValue.FromBoolean(true)), new Lwm2mSingleResource(5, Lwm2mValue.FromOpaque([1, 2]))]);
        Assert.Equal(hex, EncodeNode("/9999/0", node));
        Assert.Equal(node, Codec.DecodeNode(Hex(hex), Lwm2mPath.Parse("/9999/0"), TestModel.Instance).Value);
    }

    [Fact]
    public void Time_series_writes_base_time_once_and_relative_times_after_it()
    {
        // [{-2: "/3303/0/5700", -3: 1700000000, 2: 22.5}, {6: 10, 2: 23.0}]
        string hex = "82a3216c2f333330332f302f35373030221a6553f10002f94da0" + "a2060a02f94dc0";
        var path = Lwm2mPath.Parse("/3303/0/5700");
        Lwm2mRecord[] records =
        [
            new(path, Lwm2mValue.FromFloat(22.5), DateTimeOffset.FromUnixTimeSeconds(1700000000)),
            new(path, Lwm2mValue.FromFloat(23.0), DateTimeOffset.FromUnixTimeSeconds(1700000010)),
        ];
        Assert.Equal(hex, EncodeRecords(records));
        Assert.Equal(records, DecodeRecords(hex));
    }

    [Fact]
    public void Composite_records_on_unrelated_paths_carry_full_names()
    {
        // [{0: "/3/0/9", 2: 100}, {0: "/3303/0/5700", 2: 22.5}]
        string hex = "82a200662f332f302f3902186" + "4a2006c2f333330332f302f3537303002f94da0";
        Lwm2mRecord[] records = [new(Lwm2mPath.Parse("/3/0/9"), Lwm2mValue.FromInteger(100)), new(Lwm2mPath.Parse("/3303/0/5700"), Lwm2mValue.FromFloat(22.5))];
        Assert.Equal(hex, EncodeRecords(records));
        Assert.Equal(records, DecodeRecords(hex));
    }

    [Fact]
    public void Read_composite_request_records_have_names_and_no_values()
    {
        // [{-2: "/3/0/", 0: "0"}, {0: "9"}]
        string hex = "82a221652f332f302f00613" + "0a1006139";
        Lwm2mRecord[] records = [new(Lwm2mPath.Parse("/3/0/0"), null), new(Lwm2mPath.Parse("/3/0/9"), null)];
        Assert.Equal(hex, EncodeRecords(records));
        Assert.Equal(records, DecodeRecords(hex));
    }

    [Fact]
    public void Base_name_and_base_time_carry_over_until_replaced()
    {
        // [{-2: "/3303/0/", -3: 1700000000, 0: "5700", 2: 22.5}, {0: "5700", 6: 10, 2: 23.0}, {-2: "/3/0/", 0: "9", 2: 100},
        //  {0: "13", 6: -0.5, 2: 5}]
        string hex = "84"
            + "a421682f333330332f302f221a6553f100006435373030" + "02f94da0"
            + "a30064353730" + "30060a02f94dc0"
            + "a321652f332f302f0061390218" + "64"
            + "a300623133" + "06f9b80002" + "05";
        IReadOnlyList<Lwm2mRecord> records = DecodeRecords(hex);
        Assert.Equal(
        [
            new(Lwm2mPath.Parse("/3303/0/5700"), Lwm2mValue.FromFloat(22.5), DateTimeOffset.FromUnixTimeSeconds(1700000000)),
            new(Lwm2mPath.Parse("/3303/0/5700"), Lwm2mValue.FromFloat(23.0), DateTimeOffset.FromUnixTimeSeconds(1700000010)),
            new(Lwm2mPath.Parse("/3/0/9"), Lwm2mValue.FromInteger(100), DateTimeOffset.FromUnixTimeSeconds(1700000000)),
            new Lwm2mRecord(Lwm2mPath.Parse("/3/0/13"), Lwm2mValue.FromUnixTime(5), DateTimeOffset.FromUnixTimeMilliseconds(1699999999500)),
        ], records);
    }

    [Fact]
    public void Labels_in_any_order_indefinite_lengths_and_ignored_labels_decode_the_same()
    {
        // [_ {_ 2: 100, 1: "%", 0: "9", -2: "/3/0/", "foo": [1]}]
        string hex = "9fbf021864016125006139216" + "52f332f302f63666f6f8101ffff";
        Assert.Equal([new Lwm2mRecord(Lwm2mPath.Parse("/3/0/9"), Lwm2mValue.FromInteger(100))], DecodeRecords(hex));
    }

    [Theory]
    [InlineData("81a20067" + "2f34322f302f3002f93e00", Lwm2mResourceType.Float)]       // v 1.5
    [InlineData("81a20067" + "2f34322f302f30021bffffffffffffffff", Lwm2mResourceType.UnsignedInteger)]
    [InlineData("81a20067" + "2f34322f302f300220", Lwm2mResourceType.Integer)]
    [InlineData("81a20067" + "2f34322f302f30036161", Lwm2mResourceType.String)]
    [InlineData("81a20067" + "2f34322f302f300840", Lwm2mResourceType.Opaque)]
    [InlineData("81a20067" + "2f34322f302f3063766c6f63313a31", Lwm2mResourceType.Objlnk)]
    public void Unknown_resources_keep_the_natural_type_of_their_value(string hex, Lwm2mResourceType type)
    {
        Assert.Equal(type, DecodeRecords(hex)[0].Value!.Value.Type);
    }

    [Fact]
    public void Model_types_decide_how_numbers_are_read()
    {
        // [{-2: "/9999/0/", 0: "1", 2: 7}, {0: "2", 2: 7}, {0: "3", 2: 7}, {0: "6", 2: 7}] Integer, Unsigned, Float, Time
        string hex = "84a321682f393939392f302f0061310207a20061320207a20061330207a20061360207";
        IReadOnlyList<Lwm2mRecord> records = DecodeRecords(hex);
        Assert.Equal(
        [
            Lwm2mValue.FromInteger(7), Lwm2mValue.FromUnsignedInteger(7), Lwm2mValue.FromFloat(7), Lwm2mValue.FromUnixTime(7),
        ], records.Select(r => r.Value!.Value));
    }

    private static byte[] Rfc8428Shaped(string baseName, string name)
    {
        // Shaped like the RFC 8428 §6 example: [{-2: bn, -3: 1276020076.001, -4: "A", -1: 5, 0: n, 1: "V", 2: 120.1}, {0: n, 6: -5, 2: 1.2}]
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new CborWriter(buffer);
        writer.WriteStartArray(2);
        writer.WriteStartMap(7);
        writer.WriteInt64(-2);
        writer.WriteTextString(baseName);
        writer.WriteInt64(-3);
        writer.WriteDouble(1276020076.001);
        writer.WriteInt64(-4);
        writer.WriteTextString("A");
        writer.WriteInt64(-1);
        writer.WriteInt64(5);
        writer.WriteInt64(0);
        writer.WriteTextString(name);
        writer.WriteInt64(1);
        writer.WriteTextString("V");
        writer.WriteInt64(2);
        writer.WriteDouble(120.1);
        writer.WriteStartMap(3);
        writer.WriteInt64(0);
        writer.WriteTextString(name);
        writer.WriteInt64(6);
        writer.WriteInt64(-5);
        writer.WriteInt64(2);
        writer.WriteDouble(1.2);
        return buffer.WrittenSpan.ToArray();
    }

    [Fact]
    public void RFC_8428_records_with_units_and_version_decode_when_names_are_paths()
    {
        IReadOnlyList<Lwm2mRecord> records = DecodeRecords(ToHex(Rfc8428Shaped("/3303/0/", "5700")));
        Assert.Equal(
        [
            new(Lwm2mPath.Parse("/3303/0/5700"), Lwm2mValue.FromFloat(120.1), DateTimeOffset.FromUnixTimeMilliseconds(1276020076001)),
            new(Lwm2mPath.Parse("/3303/0/5700"), Lwm2mValue.FromFloat(1.2), DateTimeOffset.FromUnixTimeMilliseconds(1276020071001)),
        ], records);
    }

    [Fact]
    public void RFC_8428_urn_names_are_not_LwM2M_paths()
    {
        Lwm2mCodecResult<IReadOnlyList<Lwm2mRecord>> decoded = Codec.DecodeRecords(Rfc8428Shaped("urn:dev:ow:10e2073a0108006:", "voltage"), TestModel.Instance);
        Assert.Equal(Lwm2mCodecErrorKind.InvalidPath, decoded.Error!.Kind);
        Assert.Equal(1, decoded.Error.Offset);
    }
}
