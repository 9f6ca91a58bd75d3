using System.Buffers;
using Tern.Lwm2m.Formats;
using Tern.Lwm2m.Formats.Cbor;
using Tern.Lwm2m.Model;
using static Tern.Lwm2m.Tests.Formats.Cbor.CborTree;

namespace Tern.Lwm2m.Tests.Formats.Cbor;

public class CborCodecTests
{
    private static readonly CborCodec Codec = new();

    public static TheoryData<string, string, Lwm2mValue> Vectors => new()
    {
        { "/3/0/9", "1864", Lwm2mValue.FromInteger(100) },
        { "/9999/0/1", "3903e7", Lwm2mValue.FromInteger(-1000) },
        { "/3/0/0", "744f70656e204d6f62696c6520416c6c69616e6365", Lwm2mValue.FromString("Open Mobile Alliance") },
        { "/3/0/13", "c11a5182428f", Lwm2mValue.FromUnixTime(1367491215) },
        { "/9999/0/7", "63333a30", Lwm2mValue.FromObjectLink(new Lwm2mObjectLink(3, 0)) },
        { "/9999/0/7", "6b36353533353a3635353335", Lwm2mValue.FromObjectLink(Lwm2mObjectLink.Null) },
        { "/3303/0/5700", "f94da0", Lwm2mValue.FromFloat(22.5) },
        { "/3303/0/5700", "fb3ff199999999999a", Lwm2mValue.FromFloat(1.1) },
        { "/9999/0/4", "f5", Lwm2mValue.FromBoolean(true) },
        { "/9999/0/5", "43010203", Lwm2mValue.FromOpaque([1, 2, 3]) },
        { "/9999/0/2", "1bffffffffffffffff", Lwm2mValue.FromUnsignedInteger(ulong.MaxValue) },
        { "/9999/0/8", "6d3c2f333e3b63743d3131353433", Lwm2mValue.FromCoreLink("</3>;ct=11543") },
        { "/3/0/11/0", "00", Lwm2mValue.FromInteger(0) },
    };

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Single_values_encode_to_one_data_item_and_decode_back(string path, string hex, Lwm2mValue value)
    {
        Lwm2mPath p = Lwm2mPath.Parse(path);
        Lwm2mNode node = p.Level == Lwm2mPathLevel.ResourceInstance
            ? new Lwm2mResourceInstance(p.ResourceInstanceId!.Value, value)
            : new Lwm2mSingleResource(p.ResourceId!.Value, value);
        var buffer = new ArrayBufferWriter<byte>();
        Assert.Null(Codec.EncodeNode(p, node, buffer));
        Assert.Equal(hex, ToHex(buffer.WrittenSpan));

        Lwm2mCodecResult<Lwm2mNode> decoded = Codec.DecodeNode(Hex(hex), p, TestModel.Instance);
        Assert.True(decoded.IsSuccess, decoded.Error?.ToString());
        Assert.Equal(node, decoded.Value);
    }

    [Theory]
    [InlineData("1a5182428f", 1367491215L)]          // a bare integer
    [InlineData("c1fb41d452d9ec200000", 1363896240L)] // tag 1 holding a float, truncated to seconds
    [InlineData("c0c11a5182428f", 1367491215L)]      // an unknown tag before tag 1 is skipped
    public void Time_also_decodes_from_bare_numbers_and_float_seconds(string hex, long seconds)
    {
        Lwm2mCodecResult<Lwm2mNode> decoded = Codec.DecodeNode(Hex(hex), Lwm2mPath.Parse("/3/0/13"), TestModel.Instance);
        Assert.True(decoded.IsSuccess, decoded.Error?.ToString());
        Assert.Equal(seconds, ((Lwm2mSingleResource)decoded.Value!).Value.AsUnixTime());
    }

    [Fact]
    public void Integer_for_a_float_resource_decodes_as_float()
    {
        Lwm2mCodecResult<Lwm2mNode> decoded = Codec.DecodeNode(Hex("1816"), Lwm2mPath.Parse("/3303/0/5700"), TestModel.Instance);
        Assert.Equal(Lwm2mValue.FromFloat(22), ((Lwm2mSingleResource)decoded.Value!).Value);
    }

    [Theory]
    [InlineData("c11a5182428f", Lwm2mResourceType.Time)]
    [InlineData("1bffffffffffffffff", Lwm2mResourceType.UnsignedInteger)]
    [InlineData("20", Lwm2mResourceType.Integer)]
    [InlineData("f93c00", Lwm2mResourceType.Float)]
    [InlineData("6161", Lwm2mResourceType.String)]
    [InlineData("4161", Lwm2mResourceType.Opaque)]
    [InlineData("f4", Lwm2mResourceType.Boolean)]
    public void Unknown_resource_takes_the_natural_type_of_the_item(string hex, Lwm2mResourceType type)
    {
        Lwm2mCodecResult<Lwm2mNode> decoded = Codec.DecodeNode(Hex(hex), Lwm2mPath.Parse("/42/0/7"), TestModel.Instance);
        Assert.True(decoded.IsSuccess, decoded.Error?.ToString());
        Assert.Equal(type, ((Lwm2mSingleResource)decoded.Value!).Value.Type);
    }

    [Theory]
    [InlineData("", "/3/0/9", Lwm2mCodecErrorKind.Truncated, 0)]
    [InlineData("19", "/3/0/9", Lwm2mCodecErrorKind.Truncated, 0)]
    [InlineData("7401", "/3/0/0", Lwm2mCodecErrorKind.Truncated, 0)]
    [InlineData("6161", "/3/0/9", Lwm2mCodecErrorKind.TypeMismatch, 0)]         // text for an Integer
    [InlineData("f93c00", "/3/0/9", Lwm2mCodecErrorKind.TypeMismatch, 0)]       // float for an Integer
    [InlineData("1bffffffffffffffff", "/3/0/9", Lwm2mCodecErrorKind.TypeMismatch, 0)] // beyond Integer range
    [InlineData("20", "/9999/0/2", Lwm2mCodecErrorKind.TypeMismatch, 0)]        // negative Unsigned
    [InlineData("01", "/3/0/0", Lwm2mCodecErrorKind.TypeMismatch, 0)]           // integer for a String
    [InlineData("6133", "/9999/0/7", Lwm2mCodecErrorKind.TypeMismatch, 0)]      // Objlnk without colon
    [InlineData("f6", "/3/0/9", Lwm2mCodecErrorKind.TypeMismatch, 0)]           // null
    [InlineData("8101", "/3/0/9", Lwm2mCodecErrorKind.TypeMismatch, 0)]         // an array
    [InlineData("0101", "/3/0/9", Lwm2mCodecErrorKind.Malformed, 1)]            // trailing bytes
    [InlineData("1c", "/3/0/9", Lwm2mCodecErrorKind.Malformed, 0)]              // reserved header
    [InlineData("62c328", "/3/0/0", Lwm2mCodecErrorKind.Malformed, 0)]          // invalid UTF-8
    [InlineData("5bffffffffffffffff", "/9999/0/5", Lwm2mCodecErrorKind.TooLarge, 0)]
    [InlineData("01", "/3/0", Lwm2mCodecErrorKind.Unsupported, -1)]
    [InlineData("01", "/3/0/6", Lwm2mCodecErrorKind.Unsupported, -1)]           // a multiple resource
    public void Bad_payloads_give_typed_errors(string hex, string path, Lwm2mCodecErrorKind kind, int offset)
    {
        Lwm2mCodecResult<Lwm2mNode> decoded = Codec.DecodeNode(Hex(hex), Lwm2mPath.Parse(path), TestModel.Instance);
        Assert.False(decoded.IsSuccess);
        Assert.Equal(kind, decoded.Error!.Kind);
        Assert.Equal(offset, decoded.Error.Offset);
    }

    [Fact]
    public void Instances_and_records_are_unsupported()
    {
        var buffer = new ArrayBufferWriter<byte>();
        Assert.Equal(Lwm2mCodecErrorKind.Unsupported, Codec.EncodeNode(Lwm2mPath.Parse("/3/0"), DeviceExample.Instance, buffer)!.Kind);
        Assert.Equal(Lwm2mCodecErrorKind.Unsupported, Codec.EncodeRecords([], buffer)!.Kind);
        Assert.Equal(Lwm2mCodecErrorKind.Unsupported, Codec.DecodeRecords(Hex("01"), TestModel.Instance).Error!.Kind);
        Assert.Equal(0, buffer.WrittenCount);
    }

    [Fact]
    public void Every_type_round_trips_through_random_values()
    {
        var random = new Random(60);
        var buffer = new ArrayBufferWriter<byte>();
        for (int i = 0; i < 2000; i++)
        {
            int r = random.Next(0, 9);
            Lwm2mValue value = CborRandomTrees.RandomValue(random, TestModel.ValueTypes[r]);
            var path = new Lwm2mPath(9999, 0, r);
            buffer.Clear();
            Assert.Null(Codec.EncodeNode(path, new Lwm2mSingleResource(r, value), buffer));
            Lwm2mCodecResult<Lwm2mNode> decoded = Codec.DecodeNode(buffer.WrittenSpan, path, TestModel.Instance);
            Assert.True(decoded.IsSuccess, decoded.Error?.ToString());
            Assert.Equal(value, ((Lwm2mSingleResource)decoded.Value!).Value);
        }
    }
}
