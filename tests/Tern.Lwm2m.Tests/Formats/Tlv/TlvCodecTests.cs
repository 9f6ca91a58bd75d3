using System.Buffers;
using Tern.Lwm2m.Formats;
using Tern.Lwm2m.Formats.Tlv;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Tests.Formats.Tlv;

public class TlvCodecTests
{
    private static readonly TlvCodec Codec = new();

    private static Lwm2mCodecResult<Lwm2mNode> Decode(string hex, string path) =>
        Codec.DecodeNode(Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal)), Lwm2mPath.Parse(path), TestModel.Instance);

    private static string EncodeHex(string path, Lwm2mNode node) =>
        Convert.ToHexString(RandomTrees.Encode(Codec, Lwm2mPath.Parse(path), node));

    [Fact]
    public void Device_instance_encodes_to_the_121_bytes_the_TS_prints()
    {
        string hex = EncodeHex("/3/0", DeviceExample.Instance);
        Assert.Equal(DeviceExample.TlvHex, hex);
        Assert.Equal(121, hex.Length / 2);
    }

    [Fact]
    public void TS_example_bytes_decode_to_the_Device_instance()
    {
        Lwm2mCodecResult<Lwm2mNode> result = Decode(DeviceExample.TlvHex, "/3/0");
        Assert.True(result.IsSuccess, result.Error?.ToString());
        Assert.Equal<Lwm2mNode>(DeviceExample.Instance, result.Value);
    }

    [Fact]
    public void Instance_payload_wrapped_in_an_object_instance_TLV_is_accepted()
    {
        // 0x08: Object Instance, 8-bit id, 8-bit length; 0x79 = 121.
        Lwm2mCodecResult<Lwm2mNode> result = Decode("080079" + DeviceExample.TlvHex, "/3/0");
        Assert.True(result.IsSuccess, result.Error?.ToString());
        Assert.Equal<Lwm2mNode>(DeviceExample.Instance, result.Value);
    }

    [Fact]
    public void Object_is_a_sequence_of_object_instance_TLVs()
    {
        var obj = new Lwm2mObject(3, [DeviceExample.Instance]);
        Assert.Equal("080079" + DeviceExample.TlvHex, EncodeHex("/3", obj));
        Assert.Equal<Lwm2mNode>(obj, Decode("080079" + DeviceExample.TlvHex, "/3").Value);
    }

    [Theory]
    [InlineData("/3/0/6", "8606410001410105")]
    [InlineData("/3/0/7", "88070842000ED842011388")]
    [InlineData("/3/0/11", "830B410000")]
    public void Multiple_resources_of_the_TS_example_round_trip(string path, string hex)
    {
        var resource = DeviceExample.Instance.Resources.Single(r => r.Id == Lwm2mPath.Parse(path).ResourceId);
        Assert.Equal(hex, EncodeHex(path, resource));
        Assert.Equal<Lwm2mNode>(resource, Decode(hex, path).Value);
    }

    [Fact]
    public void Multiple_resource_instances_without_their_wrapper_are_accepted()
    {
        Assert.Equal<Lwm2mNode>(DeviceExample.Multi(6, 1, 5), Decode("410001410105", "/3/0/6").Value);
    }

    [Fact]
    public void Resource_instance_is_a_single_resource_instance_TLV()
    {
        var node = new Lwm2mResourceInstance(1, Lwm2mValue.FromInteger(5));
        Assert.Equal("410105", EncodeHex("/3/0/6/1", node));
        Assert.Equal<Lwm2mNode>(node, Decode("410105", "/3/0/6/1").Value);
    }

    [Theory]
    [InlineData(0L, "C10900")]
    [InlineData(-1L, "C109FF")]
    [InlineData(127L, "C1097F")]
    [InlineData(128L, "C2090080")]
    [InlineData(-129L, "C209FF7F")]
    [InlineData(32768L, "C40900008000")]
    [InlineData(2147483648L, "C8090800000000800000 00")]
    [InlineData(long.MinValue, "C809088000000000000000")]
    public void Integers_take_the_shortest_of_1_2_4_or_8_bytes(long value, string hex)
    {
        hex = hex.Replace(" ", "", StringComparison.Ordinal);
        var node = new Lwm2mSingleResource(9, Lwm2mValue.FromInteger(value));
        Assert.Equal(hex, EncodeHex("/3/0/9", node));
        Assert.Equal<Lwm2mNode>(node, Decode(hex, "/3/0/9").Value);
    }

    [Theory]
    [InlineData(1.5, "C4033FC00000")]
    [InlineData(0.1, "C803083FB999999999999A")]
    public void Floats_take_4_bytes_when_lossless_and_8_otherwise(double value, string hex)
    {
        var node = new Lwm2mSingleResource(3, Lwm2mValue.FromFloat(value));
        Assert.Equal(hex, EncodeHex("/30000/0/3", node));
        Assert.Equal<Lwm2mNode>(node, Decode(hex, "/30000/0/3").Value);
    }

    [Theory]
    [InlineData(255UL, "C102FF")]
    [InlineData(65535UL, "C202FFFF")]
    [InlineData(ulong.MaxValue, "C80208FFFFFFFFFFFFFFFF")]
    public void Unsigned_integers_are_unsigned_in_the_shortest_width(ulong value, string hex)
    {
        var node = new Lwm2mSingleResource(2, Lwm2mValue.FromUnsignedInteger(value));
        Assert.Equal(hex, EncodeHex("/30000/0/2", node));
        Assert.Equal<Lwm2mNode>(node, Decode(hex, "/30000/0/2").Value);
    }

    [Fact]
    public void Objlnk_is_four_bytes_and_boolean_one()
    {
        var link = new Lwm2mSingleResource(7, Lwm2mValue.FromObjectLink(new Lwm2mObjectLink(3, 0xFFFF)));
        Assert.Equal("C4070003FFFF", EncodeHex("/30000/0/7", link));
        var flag = new Lwm2mSingleResource(4, Lwm2mValue.FromBoolean(true));
        Assert.Equal("C10401", EncodeHex("/30000/0/4", flag));
    }

    [Fact]
    public void Large_ids_and_values_use_16_bit_ids_and_24_bit_lengths()
    {
        byte[] big = new byte[70000];
        big[^1] = 0xAB;
        var node = new Lwm2mMultipleResource(15, Lwm2mResourceType.Opaque, [new Lwm2mResourceInstance(300, Lwm2mValue.FromOpaque(big))]);
        byte[] bytes = RandomTrees.Encode(Codec, new Lwm2mPath(30000, 0, 15), node);
        // Multiple resource, 8-bit id, 24-bit length; then resource instance, 16-bit id, 24-bit length.
        Assert.Equal("980F01117678012C011170", Convert.ToHexString(bytes, 0, 11));
        Assert.Equal<Lwm2mNode>(node, Codec.DecodeNode(bytes, new Lwm2mPath(30000, 0, 15), TestModel.Instance).Value);
    }

    [Fact]
    public void Random_trees_at_every_level_round_trip()
    {
        var rng = new Random(11542);
        for (int n = 0; n < 3000; n++)
        {
            (Lwm2mPath path, Lwm2mNode node) = RandomTrees.AnyLevel(rng);
            byte[] bytes = RandomTrees.Encode(Codec, path, node);
            Lwm2mCodecResult<Lwm2mNode> back = Codec.DecodeNode(bytes, path, TestModel.Instance);
            Assert.True(back.IsSuccess, $"case {n} at {path}: {back.Error}");
            Assert.Equal(node, back.Value);
        }
    }

    [Fact]
    public void Root_and_records_are_not_acceptable_in_TLV()
    {
        Assert.Equal(Lwm2mCodecErrorKind.Unsupported, Codec.DecodeNode([], Lwm2mPath.Root, TestModel.Instance).Error!.Kind);
        Assert.Equal(Lwm2mCodecErrorKind.Unsupported, Codec.EncodeRecords([], new ArrayBufferWriter<byte>())!.Kind);
        Assert.Equal("4.06", Codec.DecodeRecords([], TestModel.Instance).Error!.SuggestedCoapCode);
    }

}
