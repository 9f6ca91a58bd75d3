using System.Buffers;
using Tern.Lwm2m.Formats;
using Tern.Lwm2m.Formats.Opaque;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Tests.Formats.Opaque;

public class OpaqueCodecTests
{
    private static readonly OpaqueCodec Codec = new();

    [Fact]
    public void Opaque_resource_is_its_raw_bytes_both_ways()
    {
        var node = new Lwm2mSingleResource(5, Lwm2mValue.FromOpaque([0x00, 0xFF, 0x10]));
        Assert.Equal("00FF10", Convert.ToHexString(RandomTrees.Encode(Codec, new Lwm2mPath(30000, 0, 5), node)));
        Assert.Equal<Lwm2mNode>(node, Codec.DecodeNode([0x00, 0xFF, 0x10], new Lwm2mPath(30000, 0, 5), TestModel.Instance).Value);
    }

    [Fact]
    public void Opaque_resource_instance_and_empty_payload_are_accepted()
    {
        var node = new Lwm2mResourceInstance(2, Lwm2mValue.FromOpaque([]));
        Assert.Equal<Lwm2mNode>(node, Codec.DecodeNode([], new Lwm2mPath(30000, 0, 15, 2), TestModel.Instance).Value);
        Assert.Empty(RandomTrees.Encode(Codec, new Lwm2mPath(30000, 0, 15, 2), node));
    }

    [Theory]
    [InlineData("/3/0/0", Lwm2mCodecErrorKind.Unsupported)]
    [InlineData("/30000/0/15", Lwm2mCodecErrorKind.Unsupported)]
    [InlineData("/30000/0", Lwm2mCodecErrorKind.Unsupported)]
    [InlineData("/30000/0/99", Lwm2mCodecErrorKind.UnknownResource)]
    [InlineData("/77/0/1", Lwm2mCodecErrorKind.UnknownResource)]
    public void Anything_but_an_opaque_value_is_refused(string path, Lwm2mCodecErrorKind kind)
    {
        Assert.Equal(kind, Codec.DecodeNode([1, 2], Lwm2mPath.Parse(path), TestModel.Instance).Error!.Kind);
    }

    [Fact]
    public void Non_opaque_values_cannot_be_encoded_as_octet_stream()
    {
        var buffer = new ArrayBufferWriter<byte>();
        Assert.Equal(Lwm2mCodecErrorKind.Unsupported,
            Codec.EncodeNode(new Lwm2mPath(3, 0, 9), new Lwm2mSingleResource(9, Lwm2mValue.FromInteger(1)), buffer)!.Kind);
        Assert.Equal(Lwm2mCodecErrorKind.Unsupported, Codec.EncodeNode(new Lwm2mPath(3, 0), DeviceExample.Instance, buffer)!.Kind);
    }
}
