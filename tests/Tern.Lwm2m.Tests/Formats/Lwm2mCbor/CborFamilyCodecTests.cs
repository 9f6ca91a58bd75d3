using System.Buffers;
using Tern.Lwm2m.Formats;
using Tern.Lwm2m.Formats.Lwm2mCbor;
using Tern.Lwm2m.Formats.SenmlCbor;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Tests.Formats.Lwm2mCbor;

/// <summary>
/// Cases that LwM2M CBOR and SenML CBOR must both pass, word for word: one theory a case, one row a codec.
/// Each row keeps the seed its codec's own test used before the cases were merged.
/// Format-specific cases stay in Lwm2mCbor*Tests and SenmlCbor*Tests.
/// </summary>
public class CborFamilyCodecTests
{
    private static ILwm2mContentCodec Codec(string name) => name switch
    {
        nameof(Lwm2mCborCodec) => new Lwm2mCborCodec(),
        nameof(SenmlCborCodec) => new SenmlCborCodec(),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "not a CBOR codec"),
    };

    private static void AssertRoundTrip(ILwm2mContentCodec codec, Lwm2mPath path, Lwm2mNode node)
    {
        var buffer = new ArrayBufferWriter<byte>();
        Assert.Null(codec.EncodeNode(path, node, buffer));
        Lwm2mCodecResult<Lwm2mNode> decoded = codec.DecodeNode(buffer.WrittenSpan, path, TestModel.Instance);
        Assert.True(decoded.IsSuccess, $"{path}: {decoded.Error}");
        Assert.Equal(node, decoded.Value);
    }

    [Theory]
    [InlineData(nameof(Lwm2mCborCodec), 1154)]
    [InlineData(nameof(SenmlCborCodec), 8428)]
    public void Random_trees_round_trip_at_every_level(string codecName, int seed)
    {
        ILwm2mContentCodec codec = Codec(codecName);
        var random = new Random(seed);
        for (int i = 0; i < 500; i++)
        {
            Lwm2mObject obj = CborRandomTrees.RandomObject(random);
            AssertRoundTrip(codec, new Lwm2mPath(9999), obj);
            foreach (Lwm2mObjectInstance instance in obj.Instances)
            {
                AssertRoundTrip(codec, new Lwm2mPath(9999, instance.Id), instance);
                foreach (Lwm2mResource resource in instance.Resources)
                {
                    AssertRoundTrip(codec, new Lwm2mPath(9999, instance.Id, resource.Id), resource);
                    if (resource is Lwm2mMultipleResource m)
                    {
                        foreach (Lwm2mResourceInstance ri in m.Instances)
                        {
                            AssertRoundTrip(codec, new Lwm2mPath(9999, instance.Id, resource.Id, ri.Id), ri);
                        }
                    }
                }
            }
        }
    }

    [Theory]
    [InlineData(nameof(Lwm2mCborCodec))]
    [InlineData(nameof(SenmlCborCodec))]
    public void Device_instance_round_trips(string codecName)
    {
        AssertRoundTrip(Codec(codecName), new Lwm2mPath(3, 0), DeviceExample.Instance);
    }

    [Theory]
    [InlineData(nameof(Lwm2mCborCodec), 11544)]
    [InlineData(nameof(SenmlCborCodec), 112)]
    public void Random_bytes_and_mutations_never_throw(string codecName, int seed)
    {
        ILwm2mContentCodec codec = Codec(codecName);
        var random = new Random(seed);
        var buffer = new ArrayBufferWriter<byte>();
        Assert.Null(codec.EncodeNode(Lwm2mPath.Parse("/3/0"), DeviceExample.Instance, buffer));
        byte[] valid = buffer.WrittenSpan.ToArray();
        int failures = 0;
        for (int i = 0; i < 20000; i++)
        {
            byte[] data = (byte[])valid.Clone();
            if (i % 3 == 0)
            {
                data = new byte[random.Next(0, 64)];
                random.NextBytes(data);
            }
            else
            {
                for (int f = random.Next(1, 4); f > 0; f--)
                {
                    data[random.Next(data.Length)] = (byte)random.Next(256);
                }

                data = data[..random.Next(data.Length / 2, data.Length + 1)];
            }

            Lwm2mCodecResult<Lwm2mNode> node = codec.DecodeNode(data, Lwm2mPath.Parse("/3/0"), TestModel.Instance);
            Lwm2mCodecResult<IReadOnlyList<Lwm2mRecord>> records = codec.DecodeRecords(data, TestModel.Instance);
            Assert.True(node.IsSuccess || node.Error!.Offset <= data.Length);
            failures += records.IsSuccess ? 0 : 1;
        }

        Assert.True(failures > 10000);
    }
}
