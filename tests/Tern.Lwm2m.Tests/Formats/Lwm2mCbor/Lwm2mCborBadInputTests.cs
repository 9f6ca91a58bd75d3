using System.Buffers;
using Tern.Lwm2m.Formats;
using Tern.Lwm2m.Formats.Lwm2mCbor;
using Tern.Lwm2m.Model;
using static Tern.Lwm2m.Tests.Formats.Cbor.CborTree;

namespace Tern.Lwm2m.Tests.Formats.Lwm2mCbor;

public class Lwm2mCborBadInputTests
{
    private static readonly Lwm2mCborCodec Codec = new();

    [Theory]
    [InlineData("", Lwm2mCodecErrorKind.Truncated, 0)]
    [InlineData("bbffffffffffffffff", Lwm2mCodecErrorKind.TooLarge, 0)]       // 2^64 entries claimed
    [InlineData("a1820300ba7fffffff", Lwm2mCodecErrorKind.Truncated, 4)]      // 2^31-1 entries claimed, none present
    [InlineData("a1820300a1", Lwm2mCodecErrorKind.Truncated, 4)]             // map claims a pair, none follows
    [InlineData("a18303000074", Lwm2mCodecErrorKind.Truncated, 5)]           // Manufacturer's string cut short
    [InlineData("bf820300bf0901", Lwm2mCodecErrorKind.Truncated, 7)]         // indefinite maps never closed
    [InlineData("830300", Lwm2mCodecErrorKind.Malformed, 0)]                 // an array where the map belongs
    [InlineData("a16133f6", Lwm2mCodecErrorKind.Malformed, 1)]               // a text key
    [InlineData("a120f6", Lwm2mCodecErrorKind.Malformed, 1)]                 // a negative key
    [InlineData("a1820361f6f6", Lwm2mCodecErrorKind.Malformed, 3)]           // text inside an array key
    [InlineData("a1830300090100", Lwm2mCodecErrorKind.Malformed, 6)]         // trailing byte
    [InlineData("a1800a", Lwm2mCodecErrorKind.InvalidPath, 1)]               // empty array key
    [InlineData("a119ffff00", Lwm2mCodecErrorKind.InvalidPath, 1)]           // id 65535
    [InlineData("a1850300090000f6", Lwm2mCodecErrorKind.InvalidPath, 6)]     // five ids
    [InlineData("a1840300060aa10001", Lwm2mCodecErrorKind.InvalidPath, 6)]   // a map under a resource instance
    [InlineData("a182030001", Lwm2mCodecErrorKind.PathMismatch, 4)]          // a value on an instance path
    [InlineData("a18303000061", Lwm2mCodecErrorKind.Truncated, 5)]
    [InlineData("a183030009" + "6131", Lwm2mCodecErrorKind.TypeMismatch, 5)] // "1" for Battery Level (Integer)
    [InlineData("a183030000" + "01", Lwm2mCodecErrorKind.TypeMismatch, 5)]   // integer for Manufacturer (String)
    [InlineData("a18303000d" + "6161", Lwm2mCodecErrorKind.TypeMismatch, 5)] // text for Current Time
    [InlineData("a18319270f00055bffffffffffffffff", Lwm2mCodecErrorKind.TooLarge, 7)] // Opaque claiming 2^64 bytes
    [InlineData("a1830300099bffffffffffffffff", Lwm2mCodecErrorKind.TypeMismatch, 5)] // an array is no value
    public void Bad_records_give_typed_errors_with_offsets(string hex, Lwm2mCodecErrorKind kind, int offset)
    {
        Lwm2mCodecResult<IReadOnlyList<Lwm2mRecord>> decoded = Codec.DecodeRecords(Hex(hex), TestModel.Instance);
        Assert.False(decoded.IsSuccess);
        Assert.Equal(kind, decoded.Error!.Kind);
        Assert.Equal(offset, decoded.Error.Offset);
    }

    [Fact]
    public void Duplicate_paths_are_malformed()
    {
        // {[3, 0, 9]: 1, 3: {0: {9: 2}}}
        Lwm2mCodecResult<IReadOnlyList<Lwm2mRecord>> decoded = Codec.DecodeRecords(Hex("a283030009" + "01" + "03a100a10902"), TestModel.Instance);
        Assert.Equal(Lwm2mCodecErrorKind.Malformed, decoded.Error!.Kind);
    }

    [Fact]
    public void Records_outside_the_request_path_do_not_build_a_node()
    {
        Lwm2mCodecResult<Lwm2mNode> decoded = Codec.DecodeNode(Hex("a183030009" + "01"), Lwm2mPath.Parse("/3/1"), TestModel.Instance);
        Assert.Equal(Lwm2mCodecErrorKind.InvalidPath, decoded.Error!.Kind);
    }

    [Fact]
    public void A_single_resource_written_with_instances_is_a_path_mismatch()
    {
        // {[3, 0, 9]: {0: 1}}: Battery Level is single
        Lwm2mCodecResult<Lwm2mNode> decoded = Codec.DecodeNode(Hex("a183030009a10001"), Lwm2mPath.Parse("/3/0"), TestModel.Instance);
        Assert.Equal(Lwm2mCodecErrorKind.PathMismatch, decoded.Error!.Kind);
    }

    [Fact]
    public void Deeply_nested_maps_stop_at_the_path_depth()
    {
        byte[] bomb = [.. Enumerable.Repeat(new byte[] { 0xA1, 0x01 }, 5000).SelectMany(b => b), 0x01];
        Lwm2mCodecResult<IReadOnlyList<Lwm2mRecord>> decoded = Codec.DecodeRecords(bomb, TestModel.Instance);
        Assert.Equal(Lwm2mCodecErrorKind.InvalidPath, decoded.Error!.Kind);

        byte[] arrays = [0xA1, .. Enumerable.Repeat((byte)0x81, 5000), 0x01, 0x01];
        Assert.Equal(Lwm2mCodecErrorKind.Malformed, Codec.DecodeRecords(arrays, TestModel.Instance).Error!.Kind);
    }

    [Fact]
    public void Encoding_refuses_timestamps_duplicates_and_values_with_children()
    {
        var buffer = new ArrayBufferWriter<byte>();
        var value = Lwm2mValue.FromInteger(1);
        Assert.Equal(Lwm2mCodecErrorKind.Unsupported,
            Codec.EncodeRecords([new(Lwm2mPath.Parse("/3/0/9"), value, DateTimeOffset.UnixEpoch)], buffer)!.Kind);
        Assert.Equal(Lwm2mCodecErrorKind.InvalidPath,
            Codec.EncodeRecords([new(Lwm2mPath.Parse("/3/0/9"), value), new(Lwm2mPath.Parse("/3/0/9"), value)], buffer)!.Kind);
        Assert.Equal(Lwm2mCodecErrorKind.InvalidPath,
            Codec.EncodeRecords([new(Lwm2mPath.Parse("/3/0/6"), value), new(Lwm2mPath.Parse("/3/0/6/0"), value)], buffer)!.Kind);
        Assert.Equal(Lwm2mCodecErrorKind.InvalidPath, Codec.EncodeRecords([new(Lwm2mPath.Root, null)], buffer)!.Kind);
        Assert.Equal(0, buffer.WrittenCount);
    }
}
