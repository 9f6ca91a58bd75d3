using Tern.Coap.Endpoint;
using Tern.Coap.Messages;
using Tern.Lwm2m.Client.DataModel;
using Tern.Lwm2m.Model;
using static Tern.Lwm2m.Client.Tests.DataModel.TestModel;
using F = Tern.Lwm2m.Formats.Lwm2mContentFormat;

namespace Tern.Lwm2m.Client.Tests.DataModel;

/// <summary>
/// Mutated and random payloads in every format, on every operation that reads a payload: the dispatcher answers
/// (4.xx, or 2.xx when the mutation still decodes) and never reaches its 5.00 safety net.
/// </summary>
public class BadPayloadTests
{
    private static readonly ushort[] Formats = [F.Text, F.Opaque, F.Cbor, F.SenmlJson, F.SenmlCbor, F.Tlv, F.OmaJson, F.Lwm2mCbor, F.LinkFormat];

    public static TheoryData<ushort> AllFormats() => [.. Formats];

    /// <summary>A valid payload for the format to start mutating from.</summary>
    private static byte[] Seed(ushort format) => format switch
    {
        F.Text => "12345"u8.ToArray(),
        F.Opaque => [1, 2, 3],
        F.LinkFormat => "</9999/0>;pmin=1"u8.ToArray(),
        F.Cbor => Encode(F.Cbor, P("/9999/0/1"), new Lwm2mSingleResource(1, Lwm2mValue.FromInteger(5))),
        _ => Encode(format, P("/9999/0"), Instance0),
    };

    private static IEnumerable<CoapMessage> Operations(ushort format, byte[] payload)
    {
        yield return Request(CoapCode.Put, "/9999/0", format, payload);
        yield return Request(CoapCode.Put, "/9999/0/1", format, payload);
        yield return Request(CoapCode.Post, "/9999/0", format, payload);
        yield return Request(CoapCode.Post, "/9999/0/7", format, payload);
        yield return Request(CoapCode.Put, "/9999/0/7/1", format, payload);
        yield return Request(CoapCode.Post, "/9999", format, payload);
        yield return Request(CoapCode.Fetch, "/", format, payload);
        yield return Request(CoapCode.IPatch, "/", format, payload);
        yield return Request(CoapCode.Post, "/9999/0/8", format, payload);
    }

    [Theory]
    [MemberData(nameof(AllFormats))]
    public void Mutated_payloads_never_reach_the_internal_error_path(ushort format)
    {
        var random = new Random(format);
        byte[] seed = Seed(format);
        for (int round = 0; round < 150; round++)
        {
            byte[] payload = Mutate(seed, random);
            Lwm2mObjectStore store = CreateStore();
            var dispatcher = new Lwm2mRequestDispatcher(store);
            foreach (CoapMessage request in Operations(format, payload))
            {
                foreach (bool bootstrap in new[] { false, true })
                {
                    CoapResponse response = dispatcher.Handle(request, 101, bootstrap);
                    Assert.True(response.Code.Class is 2 or 4, $"{request.Code} {request.UriPath} in {format} with {Convert.ToHexString(payload)} answered {response.Code}: {response.PayloadText}");
                }
            }
        }
    }

    [Fact]
    public void Random_bytes_under_any_content_format_number_are_refused_cleanly()
    {
        var random = new Random(11);
        var dispatcher = new Lwm2mRequestDispatcher(CreateStore());
        for (int round = 0; round < 400; round++)
        {
            byte[] payload = new byte[random.Next(0, 64)];
            random.NextBytes(payload);
            ushort format = round % 3 == 0 ? (ushort)random.Next(0, 65536) : Formats[random.Next(Formats.Length)];
            foreach (CoapMessage request in Operations(format, payload))
            {
                Assert.True(dispatcher.Handle(request, 101).Code.Class is 2 or 4);
            }
        }
    }

    [Fact]
    public void Odd_paths_and_options_are_refused_cleanly()
    {
        var dispatcher = new Lwm2mRequestDispatcher(CreateStore());
        var random = new Random(5);
        string[] segments = ["", "0", "9999", "65535", "65534", "-1", "x", "00", "1", "3", "bs", "\u00ff", "99999999999"];
        for (int round = 0; round < 500; round++)
        {
            var request = new CoapMessage { Code = new CoapCode(0, random.Next(1, 8)) };
            for (int k = random.Next(0, 7); k > 0; k--)
            {
                request.AddOption(CoapOption.FromString(CoapOptionNumber.UriPath, segments[random.Next(segments.Length)]));
            }

            if (random.Next(2) == 0)
            {
                request.AddOption(new CoapOption(CoapOptionNumber.Accept, new byte[random.Next(0, 6)]));
            }

            if (random.Next(2) == 0)
            {
                request.AddOption(new CoapOption(CoapOptionNumber.ContentFormat, new byte[random.Next(0, 6)]));
            }

            if (random.Next(2) == 0)
            {
                request.AddOption(CoapOption.FromString(CoapOptionNumber.UriQuery, random.Next(3) switch { 0 => "depth=x", 1 => "pmin", _ => "=" }));
            }

            CoapResponse response = dispatcher.Handle(request, random.Next(0, 3), random.Next(2) == 0);
            Assert.True(response.Code.Class is 2 or 4, $"{request.Code} {request.UriPath} answered {response.Code}: {response.PayloadText}");
        }
    }

    private static byte[] Mutate(byte[] seed, Random random)
    {
        var bytes = new List<byte>(seed);
        for (int edits = random.Next(1, 4); edits > 0; edits--)
        {
            switch (random.Next(4))
            {
                case 0 when bytes.Count > 0:
                    bytes[random.Next(bytes.Count)] = (byte)random.Next(256);
                    break;
                case 1 when bytes.Count > 0:
                    bytes.RemoveRange(random.Next(bytes.Count), 1);
                    break;
                case 2:
                    bytes.Insert(random.Next(bytes.Count + 1), (byte)random.Next(256));
                    break;
                default:
                    bytes = bytes.Take(random.Next(bytes.Count + 1)).ToList();
                    break;
            }
        }

        return [.. bytes];
    }
}
