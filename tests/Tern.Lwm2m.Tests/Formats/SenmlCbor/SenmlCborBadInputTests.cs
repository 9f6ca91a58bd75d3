using System.Buffers;
using Tern.Lwm2m.Formats;
using Tern.Lwm2m.Formats.SenmlCbor;
using Tern.Lwm2m.Model;
using static Tern.Lwm2m.Tests.Formats.Cbor.CborTree;

namespace Tern.Lwm2m.Tests.Formats.SenmlCbor;

public class SenmlCborBadInputTests
{
    private const string Name39 = "662f332f302f39"; // "/3/0/9"
    private static readonly SenmlCborCodec Codec = new();

    [Theory]
    [InlineData("", Lwm2mCodecErrorKind.Truncated, 0)]
    [InlineData("9bffffffffffffffff", Lwm2mCodecErrorKind.TooLarge, 0)]          // 2^64 records claimed
    [InlineData("81bbffffffffffffffff", Lwm2mCodecErrorKind.TooLarge, 1)]        // 2^64 labels claimed
    [InlineData("82a1" + "00" + Name39, Lwm2mCodecErrorKind.Truncated, 10)]       // array claims two records, one (valueless) present
    [InlineData("81a1006331", Lwm2mCodecErrorKind.Truncated, 3)]                  // name cut short
    [InlineData("9fa100" + Name39, Lwm2mCodecErrorKind.Truncated, 10)]            // indefinite array never closed
    [InlineData("a100" + Name39, Lwm2mCodecErrorKind.Malformed, 0)]               // a map where the record array belongs
    [InlineData("8101", Lwm2mCodecErrorKind.Malformed, 1)]                        // a record that is not a map
    [InlineData("81a1f501", Lwm2mCodecErrorKind.Malformed, 2)]                    // a label that is neither integer nor text
    [InlineData("81a10001", Lwm2mCodecErrorKind.Malformed, 3)]                    // n that is not text
    [InlineData("81a3" + "00" + Name39 + "00" + Name39 + "0201", Lwm2mCodecErrorKind.Malformed, 10)] // n twice
    [InlineData("81a3" + "00" + Name39 + "0201" + "036161", Lwm2mCodecErrorKind.Malformed, 12)]      // v and vs
    [InlineData("81a2" + "00" + Name39 + "020100", Lwm2mCodecErrorKind.Malformed, 12)]               // trailing byte
    [InlineData("82a2" + "00" + Name39 + "0201" + "a2" + "00" + Name39 + "0202", Lwm2mCodecErrorKind.Malformed, -1)] // same path twice
    [InlineData("81a2" + "00" + Name39 + "036131", Lwm2mCodecErrorKind.TypeMismatch, 11)]           // vs for an Integer
    [InlineData("81a2" + "00" + Name39 + "02f93c00", Lwm2mCodecErrorKind.TypeMismatch, 11)]         // float v for an Integer
    [InlineData("81a2" + "00" + Name39 + "04f5", Lwm2mCodecErrorKind.TypeMismatch, 11)]             // vb for an Integer
    [InlineData("81a2" + "00" + Name39 + "0301", Lwm2mCodecErrorKind.TypeMismatch, 11)]             // vs holding a number
    [InlineData("81a2" + "00662f332f302f30" + "0201", Lwm2mCodecErrorKind.TypeMismatch, 11)]        // v for a String
    [InlineData("81a2" + "00692f393939392f302f37" + "63766c6f6133", Lwm2mCodecErrorKind.TypeMismatch, 17)] // vlo "3"
    [InlineData("81a2" + "0063616263" + "0201", Lwm2mCodecErrorKind.InvalidPath, 1)]                // name "abc"
    [InlineData("81a10201", Lwm2mCodecErrorKind.InvalidPath, 1)]                                     // no name
    [InlineData("81a2" + "006a2f332f302f362f302f31" + "0201", Lwm2mCodecErrorKind.InvalidPath, 1)]  // five ids
    [InlineData("81a2" + "006a2f332f302f3635353335" + "0201", Lwm2mCodecErrorKind.InvalidPath, 1)]  // id 65535
    [InlineData("81a2" + "00642f332f30" + "0201", Lwm2mCodecErrorKind.PathMismatch, 1)]             // a value on an instance path
    [InlineData("81a2" + "00" + Name39 + "085bffffffffffffffff", Lwm2mCodecErrorKind.TooLarge, 11)] // vd claiming 2^64 bytes
    [InlineData("81a3" + "00" + Name39 + "22fb7e37e43c8800759c" + "0201", Lwm2mCodecErrorKind.Malformed, 1)] // bt 1e300
    [InlineData("81a3" + "00" + Name39 + "6466" + "6f6f5f01" + "0201", Lwm2mCodecErrorKind.Unsupported, 10)] // must-understand "foo_"
    [InlineData("81a3" + "00" + Name39 + "2401" + "0201", Lwm2mCodecErrorKind.Unsupported, 10)]     // base value
    public void Bad_payloads_give_typed_errors_with_offsets(string hex, Lwm2mCodecErrorKind kind, int offset)
    {
        Lwm2mCodecResult<IReadOnlyList<Lwm2mRecord>> decoded = Codec.DecodeRecords(Hex(hex), TestModel.Instance);
        Assert.False(decoded.IsSuccess, hex);
        Assert.Equal(kind, decoded.Error!.Kind);
        Assert.Equal(offset, decoded.Error.Offset);
    }

    [Fact]
    public void Version_label_is_ignored()
    {
        Lwm2mCodecResult<IReadOnlyList<Lwm2mRecord>> decoded = Codec.DecodeRecords(Hex("81a3" + "00" + Name39 + "200a" + "0201"), TestModel.Instance);
        Assert.True(decoded.IsSuccess, decoded.Error?.ToString());
    }

    [Fact]
    public void Deep_nesting_stops_at_the_reader_limit()
    {
        // [{99: [[[[ … 1 ]]]]}]: an ignored label whose value nests 10000 deep
        byte[] payload = [0x81, 0xA1, 0x18, 0x63, .. Enumerable.Repeat((byte)0x81, 10000), 0x01];
        Assert.Equal(Lwm2mCodecErrorKind.NestingTooDeep, Codec.DecodeRecords(payload, TestModel.Instance).Error!.Kind);

        byte[] arrays = [.. Enumerable.Repeat((byte)0x81, 10000), 0x01];
        Assert.Equal(Lwm2mCodecErrorKind.Malformed, Codec.DecodeRecords(arrays, TestModel.Instance).Error!.Kind);
    }

    [Fact]
    public void A_multiple_resource_written_as_single_does_not_build_a_node()
    {
        // [{0: "/3/0/6", 2: 1}]: Available Power Sources is multiple
        Lwm2mCodecResult<Lwm2mNode> decoded = Codec.DecodeNode(Hex("81a200662f332f302f360201"), Lwm2mPath.Parse("/3/0"), TestModel.Instance);
        Assert.Equal(Lwm2mCodecErrorKind.PathMismatch, decoded.Error!.Kind);
    }

    [Fact]
    public void Encoding_refuses_an_untimed_record_after_a_timed_one()
    {
        var buffer = new ArrayBufferWriter<byte>();
        var path = Lwm2mPath.Parse("/3/0/9");
        Lwm2mCodecError? error = Codec.EncodeRecords(
            [new(path, Lwm2mValue.FromInteger(1), DateTimeOffset.UnixEpoch), new(Lwm2mPath.Parse("/3/0/10"), Lwm2mValue.FromInteger(2))], buffer);
        Assert.Equal(Lwm2mCodecErrorKind.Unsupported, error!.Kind);
        Assert.Equal(0, buffer.WrittenCount);
    }
}
