using System.Buffers;
using Tern.Lwm2m.Formats;
using Tern.Lwm2m.Formats.Lwm2mCbor;
using Tern.Lwm2m.Model;
using static Tern.Lwm2m.Tests.Formats.Cbor.CborTree;

namespace Tern.Lwm2m.Tests.Formats.Lwm2mCbor;

/// <summary>
/// LwM2M CBOR (11544). The vectors are hand-derived from TS 1.2 Core §7.4.6 (map keyed by path ids, an
/// array key for a chain of ids) and RFC 8949; the diagnostic form is given beside each.
/// </summary>
public class Lwm2mCborCodecTests
{
    private const string Oma = "744f70656e204d6f62696c6520416c6c69616e6365"; // "Open Mobile Alliance"
    private static readonly Lwm2mCborCodec Codec = new();

    private static string Encode(Lwm2mPath path, Lwm2mNode node)
    {
        var buffer = new ArrayBufferWriter<byte>();
        Assert.Null(Codec.EncodeNode(path, node, buffer));
        return ToHex(buffer.WrittenSpan);
    }

    private static string EncodeRecords(params Lwm2mRecord[] records)
    {
        var buffer = new ArrayBufferWriter<byte>();
        Assert.Null(Codec.EncodeRecords(records, buffer));
        return ToHex(buffer.WrittenSpan);
    }

    [Fact]
    public void Single_resource_is_one_array_key_holding_the_full_path()
    {
        // {[3, 0, 0]: "Open Mobile Alliance"}
        string hex = "a183030000" + Oma;
        var node = new Lwm2mSingleResource(0, Lwm2mValue.FromString("Open Mobile Alliance"));
        Assert.Equal(hex, Encode(Lwm2mPath.Parse("/3/0/0"), node));
        Assert.Equal(node, Codec.DecodeNode(Hex(hex), Lwm2mPath.Parse("/3/0/0"), TestModel.Instance).Value);
    }

    [Fact]
    public void Instance_nests_resources_and_resource_instances_under_an_array_key()
    {
        // {[3, 0]: {0: "Open Mobile Alliance", 6: {0: 1, 1: 5}, 9: 100, 13: 1(1367491215)}}
        string hex = "a1820300a400" + Oma + "06a2000101050918640dc11a5182428f";
        var node = new Lwm2mObjectInstance(0,
        [
            new Lwm2mSingleResource(0, Lwm2mValue.FromString("Open Mobile Alliance")),
            new Lwm2mMultipleResource(6, Lwm2mResourceType.Integer, [new(0, Lwm2mValue.FromInteger(1)), new(1, Lwm2mValue.FromInteger(5))]),
            new Lwm2mSingleResource(9, Lwm2mValue.FromInteger(100)),
            new Lwm2mSingleResource(13, Lwm2mValue.FromUnixTime(1367491215)),
        ]);
        Assert.Equal(hex, Encode(Lwm2mPath.Parse("/3/0"), node));
        Assert.Equal(node, Codec.DecodeNode(Hex(hex), Lwm2mPath.Parse("/3/0"), TestModel.Instance).Value);
    }

    [Fact]
    public void Object_is_keyed_by_its_id_alone()
    {
        // {3303: {0: {5700: 22.5}}}
        string hex = "a1190ce7a100a1191644f94da0";
        var node = new Lwm2mObject(3303, [new Lwm2mObjectInstance(0, [new Lwm2mSingleResource(5700, Lwm2mValue.FromFloat(22.5))])]);
        Assert.Equal(hex, Encode(Lwm2mPath.Parse("/3303"), node));
        Assert.Equal(node, Codec.DecodeNode(Hex(hex), Lwm2mPath.Parse("/3303"), TestModel.Instance).Value);
    }

    [Fact]
    public void Composite_records_fold_shared_ids_into_array_keys()
    {
        // {[3, 0]: {9: 100, 13: 1(1367491215)}, [3303, 0, 5700]: 22.5}
        string hex = "a2820300a20918640dc11a5182428f83190ce700191644f94da0";
        Lwm2mRecord[] records =
        [
            new(Lwm2mPath.Parse("/3/0/9"), Lwm2mValue.FromInteger(100)),
            new(Lwm2mPath.Parse("/3/0/13"), Lwm2mValue.FromUnixTime(1367491215)),
            new(Lwm2mPath.Parse("/3303/0/5700"), Lwm2mValue.FromFloat(22.5)),
        ];
        Assert.Equal(hex, EncodeRecords(records));
        Assert.Equal(hex, EncodeRecords([records[2], records[0], records[1]]));
        Lwm2mCodecResult<IReadOnlyList<Lwm2mRecord>> decoded = Codec.DecodeRecords(Hex(hex), TestModel.Instance);
        Assert.True(decoded.IsSuccess, decoded.Error?.ToString());
        Assert.Equal(records, decoded.Value);
    }

    [Fact]
    public void Null_marks_a_path_without_value_and_decodes_to_an_empty_record()
    {
        // {3: {[0, 9]: null, 1: null}}: two records that share only the object id
        string hex = "a103a2820009f601f6";
        Lwm2mRecord[] records = [new(Lwm2mPath.Parse("/3/0/9"), null), new(Lwm2mPath.Parse("/3/1"), null)];
        Assert.Equal(hex, EncodeRecords(records));
        Assert.Equal(records, Codec.DecodeRecords(Hex(hex), TestModel.Instance).Value);
    }

    [Theory]
    [InlineData("bf9f0300ffbf0918640dc11a5182428fffff")]     // {_ [_ 3, 0]: {_ 9: 100, 13: 1(…)}}
    [InlineData("a103a100a20918640dc11a5182428f")]           // {3: {0: {9: 100, 13: 1(…)}}}
    [InlineData("a28303000918648303000dc11a5182428f")]       // {[3, 0, 9]: 100, [3, 0, 13]: 1(…)}
    [InlineData("a2820300a10918648303000d1a5182428f")]        // mixed keys, time as a bare integer
    public void Any_split_of_the_path_between_keys_decodes_the_same(string hex)
    {
        Lwm2mCodecResult<Lwm2mNode> decoded = Codec.DecodeNode(Hex(hex), Lwm2mPath.Parse("/3/0"), TestModel.Instance);
        Assert.True(decoded.IsSuccess, decoded.Error?.ToString());
        Assert.Equal(new Lwm2mObjectInstance(0, [new Lwm2mSingleResource(9, Lwm2mValue.FromInteger(100)), new Lwm2mSingleResource(13, Lwm2mValue.FromUnixTime(1367491215))]), decoded.Value);
    }
}
