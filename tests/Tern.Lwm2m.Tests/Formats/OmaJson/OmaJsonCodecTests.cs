using System.Buffers;
using System.Text;
using Tern.Lwm2m.Formats;
using Tern.Lwm2m.Formats.OmaJson;
using Tern.Lwm2m.Model;
using Tern.Lwm2m.Tests.Formats.SenmlJson;

namespace Tern.Lwm2m.Tests.Formats.OmaJson;

public class OmaJsonCodecTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);
    private static readonly OmaJsonCodec Codec = new(new FixedClock(Now));

    private static string Encode(Lwm2mPath path, Lwm2mNode node) => Encoding.UTF8.GetString(RandomTrees.Encode(Codec, path, node));

    private static Lwm2mCodecResult<IReadOnlyList<Lwm2mRecord>> Records(string json) =>
        Codec.DecodeRecords(Encoding.UTF8.GetBytes(json), TestModel.Instance);

    [Fact]
    public void Device_instance_encodes_to_the_TS_example_text()
    {
        Assert.Equal(DeviceJsonExamples.OmaJson, Encode(new Lwm2mPath(3, 0), DeviceExample.Instance));
    }

    [Fact]
    public void TS_example_text_with_whitespace_decodes_to_the_Device_instance()
    {
        string spaced = DeviceJsonExamples.OmaJson.Replace("[", "[\n  ", StringComparison.Ordinal).Replace("},{", "},\n  {", StringComparison.Ordinal);
        Lwm2mCodecResult<Lwm2mNode> result = Codec.DecodeNode(Encoding.UTF8.GetBytes(spaced), new Lwm2mPath(3, 0), TestModel.Instance);
        Assert.True(result.IsSuccess, result.Error?.ToString());
        Assert.Equal<Lwm2mNode>(DeviceExample.Instance, result.Value);
    }

    [Fact]
    public void Base_name_may_follow_the_entries()
    {
        Lwm2mCodecResult<Lwm2mNode> result = Codec.DecodeNode("""{"e":[{"n":"0","v":1},{"n":"1","v":5}],"bn":"/3/0/6/"}"""u8, new Lwm2mPath(3, 0, 6), TestModel.Instance);
        Assert.Equal<Lwm2mNode>(DeviceExample.Multi(6, 1, 5), result.Value);
    }

    [Fact]
    public void Escaped_names_and_long_escaped_texts_keep_their_own_characters()
    {
        // Names and texts share one reused character buffer; texts longer than its first size make it grow
        // mid-payload, and the base name, read last, must still find every earlier slice intact.
        string manufacturerJson = string.Concat(Enumerable.Repeat(@"A \""quoted\"" maker \u00e9 ", 30));
        string model = new('m', 700);
        string json = $$"""{"e":[{"n":"\u0030","sv":"{{manufacturerJson}}"},{"n":"1","sv":"{{model}}"},{"n":"\u0031\u0035","sv":"Europe/Paris"}],"bn":"\/3\/0\/"}""";

        Lwm2mCodecResult<Lwm2mNode> result = Codec.DecodeNode(Encoding.UTF8.GetBytes(json), new Lwm2mPath(3, 0), TestModel.Instance);

        Assert.True(result.IsSuccess, result.Error?.ToString());
        var expected = new Lwm2mObjectInstance(0,
        [
            new Lwm2mSingleResource(0, Lwm2mValue.FromString(string.Concat(Enumerable.Repeat("A \"quoted\" maker \u00e9 ", 30)))),
            new Lwm2mSingleResource(1, Lwm2mValue.FromString(model)),
            new Lwm2mSingleResource(15, Lwm2mValue.FromString("Europe/Paris")),
        ]);
        Assert.Equal<Lwm2mNode>(expected, result.Value);
    }

    [Fact]
    public void Value_fields_follow_the_TS_1_0_names()
    {
        var instance = new Lwm2mObjectInstance(1,
        [
            new Lwm2mSingleResource(4, Lwm2mValue.FromBoolean(true)),
            new Lwm2mSingleResource(5, Lwm2mValue.FromOpaque([0xFB, 0xFF, 0x01])),
            new Lwm2mSingleResource(7, Lwm2mValue.FromObjectLink(new Lwm2mObjectLink(3, 0))),
        ]);
        string json = Encode(new Lwm2mPath(30000, 1), instance);
        Assert.Equal("""{"bn":"/30000/1/","e":[{"n":"4","bv":true},{"n":"5","sv":"+/8B"},{"n":"7","ov":"3:0"}]}""", json);
        Assert.Equal("""{"bn":"/3/0/9","e":[{"v":100}]}""", Encode(new Lwm2mPath(3, 0, 9), new Lwm2mSingleResource(9, Lwm2mValue.FromInteger(100))));
    }

    [Fact]
    public void Base_time_and_relative_times_resolve_as_in_SenML()
    {
        IReadOnlyList<Lwm2mRecord> records = Records("""{"bn":"/3/0/","bt":1500000000,"e":[{"n":"9","v":50,"t":-10},{"n":"9","v":51}]}""").Value!;
        Assert.Equal([DateTimeOffset.FromUnixTimeSeconds(1_499_999_990), DateTimeOffset.FromUnixTimeSeconds(1_500_000_000)], records.Select(r => r.Timestamp!.Value));
        Assert.Equal(Now.AddSeconds(-5), Records("""{"bn":"/3/0/9","e":[{"v":50,"t":-5}]}""").Value![0].Timestamp);
    }

    [Fact]
    public void Random_trees_at_every_level_round_trip()
    {
        var rng = new Random(11543);
        for (int n = 0; n < 3000; n++)
        {
            (Lwm2mPath path, Lwm2mNode node) = RandomTrees.AnyLevel(rng);
            node = SenmlJsonCodecTests.WithoutEmptyMultipleResources(node);
            byte[] bytes = RandomTrees.Encode(Codec, path, node);
            Lwm2mCodecResult<Lwm2mNode> back = Codec.DecodeNode(bytes, path, TestModel.Instance);
            Assert.True(back.IsSuccess, $"case {n} at {path}: {back.Error} in {Encoding.UTF8.GetString(bytes)}");
            Assert.Equal(node, back.Value);
        }
    }

    [Fact]
    public void Time_stamped_records_round_trip_and_valueless_records_are_refused()
    {
        var at = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_250);
        Lwm2mRecord[] records = [new(new Lwm2mPath(3, 0, 9), Lwm2mValue.FromInteger(1), at), new(new Lwm2mPath(30000, 2, 10), Lwm2mValue.FromString("x"), null)];
        var buffer = new ArrayBufferWriter<byte>();
        Assert.Null(Codec.EncodeRecords(records, buffer));
        Assert.Equal("""{"e":[{"n":"/3/0/9","v":1,"t":1700000000.25},{"n":"/30000/2/10","sv":"x"}]}""", Encoding.UTF8.GetString(buffer.WrittenSpan));
        Assert.Equal(records, Codec.DecodeRecords(buffer.WrittenSpan, TestModel.Instance).Value!);
        Assert.Equal(Lwm2mCodecErrorKind.Unsupported, Codec.EncodeRecords([new(new Lwm2mPath(3, 0, 9), null)], new ArrayBufferWriter<byte>())!.Kind);
    }

    [Theory]
    [InlineData("", Lwm2mCodecErrorKind.Truncated, 0)]
    [InlineData("""{"bn":"/3/0/","e":[{"n":"9","v":1}""", Lwm2mCodecErrorKind.Truncated, 34)]
    [InlineData("""[{"n":"/3/0/9","v":1}]""", Lwm2mCodecErrorKind.Malformed, 0)]
    [InlineData("""{"bn":"/3/0/"}""", Lwm2mCodecErrorKind.Malformed, 0)]
    [InlineData("""{"bn":"/3/0/","e":[{"n":"9","v":1}]} {}""", Lwm2mCodecErrorKind.Malformed, 37)]
    [InlineData("""{"bn":"/3/0/","bn":"/3/0/","e":[]}""", Lwm2mCodecErrorKind.Malformed, 14)]
    [InlineData("""{"bn":"/3/0/","e":[{"n":"9"}]}""", Lwm2mCodecErrorKind.Malformed, 19)]
    [InlineData("""{"bn":"/3/0/","e":[{"n":"9","v":1,"sv":"1"}]}""", Lwm2mCodecErrorKind.Malformed, 34)]
    [InlineData("""{"bn":"/3/0/","e":[{"n":"9","n":"10","v":1}]}""", Lwm2mCodecErrorKind.Malformed, 28)]
    [InlineData("""{"bn":"/3/0/","e":[7]}""", Lwm2mCodecErrorKind.Malformed, 19)]
    [InlineData("""{"bn":"/3/0/","e":[{"n":"9","sv":"100"}]}""", Lwm2mCodecErrorKind.TypeMismatch, 33)]
    [InlineData("""{"bn":"/3/0/","e":[{"n":"9","v":2.5}]}""", Lwm2mCodecErrorKind.TypeMismatch, 32)]
    [InlineData("""{"bn":"/3/0/","e":[{"n":"9","bv":"true"}]}""", Lwm2mCodecErrorKind.TypeMismatch, 33)]
    [InlineData("""{"bn":"/30000/0/","e":[{"n":"5","sv":"%%"}]}""", Lwm2mCodecErrorKind.TypeMismatch, 37)]
    [InlineData("""{"bn":"/30000/0/","e":[{"n":"7","ov":"3-0"}]}""", Lwm2mCodecErrorKind.TypeMismatch, 37)]
    [InlineData("""{"bn":"3/0/","e":[{"n":"9","v":1}]}""", Lwm2mCodecErrorKind.InvalidPath, 18)]
    [InlineData("""{"bn":"/3/0/","e":[{"n":"x","v":1}]}""", Lwm2mCodecErrorKind.InvalidPath, 19)]
    [InlineData("""{"bn":"/3/","e":[{"n":"0","v":1}]}""", Lwm2mCodecErrorKind.InvalidPath, 17)]
    [InlineData("""{"bn":"/3/0/","e":[{"n":"9","v":1,"t":"x"}]}""", Lwm2mCodecErrorKind.Malformed, 38)]
    public void Bad_payload_is_a_typed_error_at_the_offending_byte(string json, Lwm2mCodecErrorKind kind, int offset)
    {
        Lwm2mCodecResult<IReadOnlyList<Lwm2mRecord>> result = Records(json);
        Assert.False(result.IsSuccess);
        Assert.Equal(kind, result.Error!.Kind);
        Assert.Equal(offset, result.Error.Offset);
    }

    [Fact]
    public void Ten_thousand_nested_arrays_are_refused_as_too_deep()
    {
        string json = """{"x":""" + new string('[', 10000) + new string(']', 10000) + ""","e":[]}""";
        Lwm2mCodecResult<IReadOnlyList<Lwm2mRecord>> result = Records(json);
        Assert.Equal(Lwm2mCodecErrorKind.NestingTooDeep, result.Error!.Kind);
        // The object and its member are levels 0 and 1; the '[' at offsets 5–8 sit at levels 1–4, the one at 9 at level 5.
        Assert.Equal(9, result.Error.Offset);
    }

}
