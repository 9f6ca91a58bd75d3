using Tern.Coap.Endpoint;
using Tern.Coap.Messages;
using Tern.Lwm2m.Client.DataModel;
using Tern.Lwm2m.Model;
using static Tern.Lwm2m.Client.Tests.DataModel.TestModel;
using F = Tern.Lwm2m.Formats.Lwm2mContentFormat;
using T = Tern.Lwm2m.Model.Lwm2mResourceType;

namespace Tern.Lwm2m.Client.Tests.DataModel;

/// <summary>Random instances written in one format read back equal in another (seeded loops, so a failure replays).</summary>
public class RoundTripPropertyTests
{
    private static readonly ushort[] Formats = [F.SenmlJson, F.SenmlCbor, F.Tlv, F.OmaJson, F.Lwm2mCbor];

    [Fact]
    public void A_random_instance_written_in_one_format_reads_back_the_same_in_every_other()
    {
        var random = new Random(2024);
        for (int round = 0; round < 200; round++)
        {
            Lwm2mObjectInstance written = RandomInstance(random);
            ushort writeFormat = Formats[random.Next(Formats.Length)];
            ushort readFormat = Formats[random.Next(Formats.Length)];
            Lwm2mObjectStore store = CreateStore();
            var dispatcher = new Lwm2mRequestDispatcher(store);

            CoapResponse write = dispatcher.Handle(Request(CoapCode.Put, "/9999/0", writeFormat, Encode(writeFormat, P("/9999/0"), written)), 101);
            CoapResponse read = dispatcher.Handle(Request(CoapCode.Get, "/9999/0", accept: readFormat), 101);

            Assert.True(write.Code == CoapCode.Changed, $"round {round}: write in {writeFormat} answered {write.Code} {write.PayloadText}");
            // What reads back: the values written, plus the read-only resource the replace kept.
            var expected = new Lwm2mObjectInstance(0, [.. written.Resources, new Lwm2mSingleResource(9, Lwm2mValue.FromInteger(7))]);
            Assert.Equal(expected, Decode(read, P("/9999/0")));
        }
    }

    private static Lwm2mObjectInstance RandomInstance(Random random)
    {
        var resources = new List<Lwm2mResource>();
        void Maybe(int id, Func<Lwm2mValue> value)
        {
            if (random.Next(3) > 0)
            {
                resources.Add(new Lwm2mSingleResource(id, value()));
            }
        }

        Maybe(0, () => Lwm2mValue.FromString(new string((char)random.Next('a', 'z' + 1), random.Next(0, 12))));
        Maybe(1, () => Lwm2mValue.FromInteger(random.NextInt64(long.MinValue, long.MaxValue)));
        Maybe(2, () => Lwm2mValue.FromFloat(Math.Round(random.NextDouble() * 1e6, 3) - 5e5));
        Maybe(3, () => Lwm2mValue.FromBoolean(random.Next(2) == 0));
        Maybe(4, () =>
        {
            byte[] bytes = new byte[random.Next(0, 20)];
            random.NextBytes(bytes);
            return Lwm2mValue.FromOpaque(bytes);
        });
        Maybe(5, () => Lwm2mValue.FromUnixTime(random.NextInt64(0, 4_000_000_000)));
        Maybe(6, () => Lwm2mValue.FromObjectLink(new Lwm2mObjectLink((ushort)random.Next(0, 65535), (ushort)random.Next(0, 65535))));
        Maybe(11, () => Lwm2mValue.FromUnsignedInteger((ulong)random.NextInt64(0, long.MaxValue)));
        if (random.Next(3) > 0)
        {
            var ids = Enumerable.Range(0, 10).Where(_ => random.Next(2) == 0).ToList();
            if (ids.Count > 0)
            {
                resources.Add(new Lwm2mMultipleResource(7, T.Integer, [.. ids.Select(i => new Lwm2mResourceInstance(i, Lwm2mValue.FromInteger(random.Next(-1000, 1000))))]));
            }
        }

        return new Lwm2mObjectInstance(0, resources);
    }
}
