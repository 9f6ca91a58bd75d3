using System.Buffers;
using Tern.Lwm2m.Formats;
using Tern.Lwm2m.Formats.Lwm2mCbor;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Tests.Formats.Lwm2mCbor;

public class Lwm2mCborRoundTripTests
{
    private static readonly Lwm2mCborCodec Codec = new();

    [Fact]
    public void Random_composite_records_round_trip()
    {
        var random = new Random(4711);
        for (int i = 0; i < 500; i++)
        {
            var records = new SortedDictionary<Lwm2mPath, Lwm2mRecord>();
            foreach (Lwm2mObjectInstance instance in CborRandomTrees.RandomObject(random).Instances)
            {
                foreach (Lwm2mRecord record in Lwm2mNodeRecords.Flatten(new Lwm2mPath(9999, instance.Id), instance))
                {
                    records[record.Path] = random.Next(10) == 0 ? record with { Value = null } : record;
                }
            }

            records[new Lwm2mPath(3, 0, 9)] = new Lwm2mRecord(new Lwm2mPath(3, 0, 9), Lwm2mValue.FromInteger(random.Next(101)));
            var buffer = new ArrayBufferWriter<byte>();
            Assert.Null(Codec.EncodeRecords(records.Values.ToList(), buffer));
            Lwm2mCodecResult<IReadOnlyList<Lwm2mRecord>> decoded = Codec.DecodeRecords(buffer.WrittenSpan, TestModel.Instance);
            Assert.True(decoded.IsSuccess, decoded.Error?.ToString());
            Assert.Equal(records.Values, decoded.Value);
        }
    }
}
