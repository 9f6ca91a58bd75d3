using Tern.Lwm2m.Formats;
using Tern.Lwm2m.Formats.OmaJson;
using Tern.Lwm2m.Formats.SenmlJson;
using Tern.Lwm2m.Formats.Tlv;
using Tern.Lwm2m.Model;
using Tern.Lwm2m.Tests.Formats.SenmlJson;

namespace Tern.Lwm2m.Tests.Formats;

public class CrossFormatTests
{
    private static readonly ILwm2mContentCodec[] Codecs = [new TlvCodec(), new SenmlJsonCodec(), new OmaJsonCodec()];

    [Fact]
    public void The_same_tree_read_from_TLV_SenML_JSON_and_OMA_JSON_decodes_equal()
    {
        var rng = new Random(2026);
        for (int n = 0; n < 1000; n++)
        {
            (Lwm2mPath path, Lwm2mNode original) = RandomTrees.AnyLevel(rng);
            Lwm2mNode node = SenmlJsonCodecTests.WithoutEmptyMultipleResources(original);
            Lwm2mNode[] decoded = [.. Codecs.Select(codec =>
            {
                Lwm2mCodecResult<Lwm2mNode> result = codec.DecodeNode(RandomTrees.Encode(codec, path, node), path, TestModel.Instance);
                Assert.True(result.IsSuccess, $"{codec.Name} case {n}: {result.Error}");
                return result.Value!;
            })];
            Assert.All(decoded, d => Assert.Equal(decoded[0], d));
        }
    }

    [Fact]
    public void Converting_the_TS_TLV_example_to_SenML_JSON_gives_the_TS_SenML_example()
    {
        var path = new Lwm2mPath(3, 0);
        Lwm2mNode fromTlv = new TlvCodec().DecodeNode(Convert.FromHexString(DeviceExample.TlvHex), path, TestModel.Instance).Value!;
        Assert.Equal(DeviceJsonExamples.SenmlJson, System.Text.Encoding.UTF8.GetString(RandomTrees.Encode(new SenmlJsonCodec(), path, fromTlv)));
        Assert.Equal(DeviceJsonExamples.OmaJson, System.Text.Encoding.UTF8.GetString(RandomTrees.Encode(new OmaJsonCodec(), path, fromTlv)));
    }
}
