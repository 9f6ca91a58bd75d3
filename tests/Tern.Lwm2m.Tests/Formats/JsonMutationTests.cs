using System.Text;
using Tern.Lwm2m.Formats;
using Tern.Lwm2m.Formats.OmaJson;
using Tern.Lwm2m.Formats.SenmlJson;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Tests.Formats;

/// <summary>Mutations of the TS's JSON Device examples, run through both JSON decoders by one rule.</summary>
public class JsonMutationTests
{
    public static TheoryData<string, int, string> Cases => new()
    {
        // codec, seed, the characters the mutations mostly draw from (each format's own syntax)
        { "json", 6, "[]{}\":,0123456789.-eE/nsvbot\\u " },
        { "senml-json", 5, "[]{}\":,0123456789.-eE/ntvsbdlo\\u_ " },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Random_mutations_of_the_TS_example_never_throw(string codecName, int seed, string alphabetText)
    {
        ILwm2mContentCodec codec = codecName == "json"
            ? new OmaJsonCodec(new FixedClock(new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero)))
            : new SenmlJsonCodec(new FixedClock(DateTimeOffset.UnixEpoch.AddYears(50)));
        string exampleText = codecName == "json" ? DeviceJsonExamples.OmaJson : DeviceJsonExamples.SenmlJson;
        var rng = new Random(seed);
        byte[] example = Encoding.UTF8.GetBytes(exampleText);
        byte[] alphabet = Encoding.UTF8.GetBytes(alphabetText);
        int failures = 0;
        for (int n = 0; n < 20000; n++)
        {
            byte[] input = (byte[])example.Clone();
            for (int m = rng.Next(1, 4); m > 0; m--)
            {
                input[rng.Next(input.Length)] = rng.Next(4) == 0 ? (byte)rng.Next(256) : alphabet[rng.Next(alphabet.Length)];
            }

            input = input[..rng.Next(input.Length + 1)];
            Lwm2mCodecResult<Lwm2mNode> result = codec.DecodeNode(input, new Lwm2mPath(3, 0), TestModel.Instance);
            if (!result.IsSuccess)
            {
                failures++;
                Assert.InRange(result.Error!.Offset, -1, input.Length);
            }
        }

        Assert.InRange(failures, 10000, 20000);
    }
}
