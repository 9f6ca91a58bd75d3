using System.Buffers;
using Tern.Lwm2m.Formats;
using Tern.Lwm2m.Formats.Cbor;
using Tern.Lwm2m.Formats.Lwm2mCbor;
using Tern.Lwm2m.Formats.SenmlCbor;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Tests.Formats;

/// <summary>Checks across the CBOR-based formats: same tree in, same tree out; nothing allocated to encode.</summary>
public class CborFormatsEquivalenceTests
{
    private static readonly ILwm2mContentCodec[] TreeCodecs = [new SenmlCborCodec(), new Lwm2mCborCodec()];

    [Fact]
    public void The_same_tree_through_SenML_CBOR_and_LwM2M_CBOR_decodes_equal()
    {
        var random = new Random(2024);
        for (int i = 0; i < 300; i++)
        {
            Lwm2mObjectInstance instance = CborRandomTrees.RandomInstance(random, random.Next(10));
            var path = new Lwm2mPath(9999, instance.Id);
            Lwm2mNode?[] decoded = TreeCodecs.Select(codec =>
            {
                var buffer = new ArrayBufferWriter<byte>();
                Assert.Null(codec.EncodeNode(path, instance, buffer));
                return codec.DecodeNode(buffer.WrittenSpan, path, TestModel.Instance).Value;
            }).ToArray();
            Assert.Equal(instance, decoded[0]);
            Assert.Equal(decoded[0], decoded[1]);
        }
    }

    [Fact]
    public void A_single_value_decodes_equal_through_all_three_formats()
    {
        ILwm2mContentCodec[] codecs = [new CborCodec(), .. TreeCodecs];
        var random = new Random(60112);
        for (int i = 0; i < 300; i++)
        {
            int r = random.Next(0, 9);
            var path = new Lwm2mPath(9999, 1, r);
            var node = new Lwm2mSingleResource(r, CborRandomTrees.RandomValue(random, TestModel.ValueTypes[r]));
            foreach (ILwm2mContentCodec codec in codecs)
            {
                var buffer = new ArrayBufferWriter<byte>();
                Assert.Null(codec.EncodeNode(path, node, buffer));
                Assert.Equal(node, codec.DecodeNode(buffer.WrittenSpan, path, TestModel.Instance).Value);
            }
        }
    }

    [Theory]
    [InlineData(Lwm2mContentFormat.Cbor)]
    [InlineData(Lwm2mContentFormat.SenmlCbor)]
    [InlineData(Lwm2mContentFormat.Lwm2mCbor)]
    public void Encoding_into_a_supplied_buffer_allocates_nothing(ushort format)
    {
        ILwm2mContentCodec[] all = [new CborCodec(), .. TreeCodecs];
        ILwm2mContentCodec codec = all.Single(c => c.ContentFormat == format);
        (Lwm2mPath path, Lwm2mNode node) = format == Lwm2mContentFormat.Cbor
            ? (new Lwm2mPath(3, 0, 0), (Lwm2mNode)new Lwm2mSingleResource(0, Lwm2mValue.FromString("Open Mobile Alliance")))
            : (new Lwm2mPath(3, 0), DeviceExample.Instance);
        var records = Lwm2mNodeRecords.Flatten(path, node);
        var buffer = new ArrayBufferWriter<byte>(4096);
        for (int warm = 0; warm < 3; warm++)
        {
            buffer.ResetWrittenCount();
            Assert.Null(codec.EncodeNode(path, node, buffer));
            if (codec.SupportsRecords)
            {
                buffer.ResetWrittenCount();
                Assert.Null(codec.EncodeRecords(records, buffer));
            }
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            buffer.ResetWrittenCount();
            codec.EncodeNode(path, node, buffer);
            if (codec.SupportsRecords)
            {
                buffer.ResetWrittenCount();
                codec.EncodeRecords(records, buffer);
            }
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
    }
}
