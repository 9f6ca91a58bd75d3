using Tern.Lwm2m.Formats;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Tests.Formats;

/// <summary>The node read that every record-shaped format shares.</summary>
public sealed class RecordNodesTests
{
    [Theory]
    [InlineData(Lwm2mContentFormat.SenmlJson, "5b5d")] // []
    [InlineData(Lwm2mContentFormat.OmaJson, "7b22626e223a222f332f302f36222c2265223a5b5d7d")] // {"bn":"/3/0/6","e":[]}
    [InlineData(Lwm2mContentFormat.SenmlCbor, "80")] // an empty CBOR array
    [InlineData(Lwm2mContentFormat.Lwm2mCbor, "a0")] // an empty CBOR map
    public void No_records_at_a_multiple_resource_path_read_as_a_resource_without_instances(ushort format, string hex)
    {
        Assert.True(Lwm2mContentFormatRegistry.Default.TryGet(format, out ILwm2mContentCodec? codec));
        Lwm2mCodecResult<Lwm2mNode> result = codec.DecodeNode(Convert.FromHexString(hex), new Lwm2mPath(3, 0, 6), TestModel.Instance);
        Assert.Null(result.Error);
        Assert.Equal<Lwm2mNode>(new Lwm2mMultipleResource(6, Lwm2mResourceType.Integer, []), result.Value);
    }

    [Theory]
    [InlineData(Lwm2mContentFormat.SenmlCbor, "80")]
    [InlineData(Lwm2mContentFormat.Lwm2mCbor, "a0")]
    public void No_records_at_a_single_resource_path_are_an_error(ushort format, string hex)
    {
        Assert.True(Lwm2mContentFormatRegistry.Default.TryGet(format, out ILwm2mContentCodec? codec));
        Lwm2mCodecResult<Lwm2mNode> result = codec.DecodeNode(Convert.FromHexString(hex), new Lwm2mPath(3, 0, 9), TestModel.Instance);
        Assert.Equal(Lwm2mCodecErrorKind.PathMismatch, result.Error!.Kind);
    }
}
