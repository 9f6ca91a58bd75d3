using System.Buffers;
using Tern.Lwm2m.Formats;
using Tern.Lwm2m.Formats.SenmlCbor;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Tests.Formats.SenmlCbor;

public class SenmlCborRoundTripTests
{
    private static readonly SenmlCborCodec Codec = new();

    [Fact]
    public void Random_time_series_and_composite_records_round_trip()
    {
        var random = new Random(1128);
        for (int i = 0; i < 500; i++)
        {
            var records = new List<Lwm2mRecord>();
            bool timed = random.Next(2) == 0;
            long time = random.NextInt64(0, 4_000_000_000_000);
            int samples = random.Next(1, 5);
            for (int s = 0; s < samples; s++)
            {
                time += random.Next(3) == 0 ? random.Next(1, 100_000) : random.Next(1, 100) * 1000;
                Lwm2mObjectInstance instance = CborRandomTrees.RandomInstance(random, random.Next(3));
                foreach (Lwm2mRecord record in Lwm2mNodeRecords.Flatten(new Lwm2mPath(9999, instance.Id), instance, timed ? DateTimeOffset.FromUnixTimeMilliseconds(time) : null))
                {
                    if (random.Next(3) == 0)
                    {
                        records.Add(random.Next(8) == 0 ? record with { Value = null } : record);
                    }
                }

                if (!timed)
                {
                    break;
                }
            }

            if (random.Next(2) == 0)
            {
                records.Add(new Lwm2mRecord(new Lwm2mPath(3, 0, 9), Lwm2mValue.FromInteger(random.Next(101)), timed ? DateTimeOffset.FromUnixTimeMilliseconds(time) : null));
            }

            var buffer = new ArrayBufferWriter<byte>();
            Assert.Null(Codec.EncodeRecords(records, buffer));
            Lwm2mCodecResult<IReadOnlyList<Lwm2mRecord>> decoded = Codec.DecodeRecords(buffer.WrittenSpan, TestModel.Instance);
            Assert.True(decoded.IsSuccess, decoded.Error?.ToString());
            Assert.Equal(records, decoded.Value);
        }
    }
}
