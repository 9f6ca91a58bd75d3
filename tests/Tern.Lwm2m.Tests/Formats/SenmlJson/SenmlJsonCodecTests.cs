using System.Buffers;
using System.Text;
using Tern.Lwm2m.Formats;
using Tern.Lwm2m.Formats.SenmlJson;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Tests.Formats.SenmlJson;

public class SenmlJsonCodecTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);
    private static readonly SenmlJsonCodec Codec = new(new FixedClock(Now));

    private static string Encode(Lwm2mPath path, Lwm2mNode node) => Encoding.UTF8.GetString(RandomTrees.Encode(Codec, path, node));

    private static IReadOnlyList<Lwm2mRecord> Records(string json)
    {
        Lwm2mCodecResult<IReadOnlyList<Lwm2mRecord>> result = Codec.DecodeRecords(Encoding.UTF8.GetBytes(json), TestModel.Instance);
        Assert.True(result.IsSuccess, result.Error?.ToString());
        return result.Value!;
    }

    [Fact]
    public void Device_instance_encodes_to_the_TS_example_text()
    {
        Assert.Equal(DeviceJsonExamples.SenmlJson, Encode(new Lwm2mPath(3, 0), DeviceExample.Instance));
    }

    [Fact]
    public void TS_example_text_with_whitespace_decodes_to_the_Device_instance()
    {
        string spaced = DeviceJsonExamples.SenmlJson.Replace("},{", "},\n  {", StringComparison.Ordinal).Replace(":", " : ", StringComparison.Ordinal)
            .Replace(" : 00", ":00", StringComparison.Ordinal);
        Lwm2mCodecResult<Lwm2mNode> result = Codec.DecodeNode(Encoding.UTF8.GetBytes(spaced), new Lwm2mPath(3, 0), TestModel.Instance);
        Assert.True(result.IsSuccess, result.Error?.ToString());
        Assert.Equal<Lwm2mNode>(DeviceExample.Instance, result.Value);
    }

    [Fact]
    public void Single_value_carries_its_full_path_as_base_name()
    {
        Assert.Equal("""[{"bn":"/3/0/9","v":100}]""", Encode(new Lwm2mPath(3, 0, 9), new Lwm2mSingleResource(9, Lwm2mValue.FromInteger(100))));
        Assert.Equal("""[{"bn":"/3/0/6/","n":"0","v":1},{"n":"1","v":5}]""", Encode(new Lwm2mPath(3, 0, 6), DeviceExample.Multi(6, 1, 5)));
    }

    [Fact]
    public void Every_value_field_is_written_as_LwM2M_names_it()
    {
        var instance = new Lwm2mObjectInstance(1,
        [
            new Lwm2mSingleResource(3, Lwm2mValue.FromFloat(22.5)),
            new Lwm2mSingleResource(4, Lwm2mValue.FromBoolean(true)),
            new Lwm2mSingleResource(5, Lwm2mValue.FromOpaque([0xFB, 0xFF, 0x01])),
            new Lwm2mSingleResource(7, Lwm2mValue.FromObjectLink(new Lwm2mObjectLink(3, 0))),
        ]);
        string json = Encode(new Lwm2mPath(30000, 1), instance);
        Assert.Equal("""[{"bn":"/30000/1/","n":"3","v":22.5},{"n":"4","vb":true},{"n":"5","vd":"-_8B"},{"n":"7","vlo":"3:0"}]""", json);
        Assert.Equal<Lwm2mNode>(instance, Codec.DecodeNode(Encoding.UTF8.GetBytes(json), new Lwm2mPath(30000, 1), TestModel.Instance).Value);
    }

    [Fact]
    public void Base_name_applies_until_the_next_base_name()
    {
        IReadOnlyList<Lwm2mRecord> records = Records("""[{"bn":"/3/0/","n":"0","vs":"A"},{"n":"9","v":7},{"bn":"/1/0/","n":"1","v":300},{"n":"/3/0/10","bn":"","v":1}]""");
        Assert.Equal(["/3/0/0", "/3/0/9", "/1/0/1", "/3/0/10"], records.Select(r => r.Path.ToString()));
        Assert.Equal(Lwm2mValue.FromInteger(300), records[2].Value);
    }

    [Fact]
    public void Base_time_plus_time_gives_absolute_times_as_in_RFC_8428_section_5_1_3()
    {
        // RFC 8428 §5.1.3 uses bt 1.276020076001e+09 and t -5, -4 … on the same name.
        IReadOnlyList<Lwm2mRecord> records = Records(
            """[{"bn":"/30000/0/","bt":1.276020076001e+09,"bver":5,"n":"3","u":"A","v":1.2,"t":-5},{"n":"3","t":-4,"v":1.3},{"n":"3","v":1.0}]""");
        Assert.Equal(
            [DateTimeOffset.FromUnixTimeMilliseconds(1_276_020_071_001), DateTimeOffset.FromUnixTimeMilliseconds(1_276_020_072_001), DateTimeOffset.FromUnixTimeMilliseconds(1_276_020_076_001)],
            records.Select(r => r.Timestamp!.Value));
        Assert.All(records, r => Assert.Equal(new Lwm2mPath(30000, 0, 3), r.Path));
    }

    [Fact]
    public void Times_below_2_pow_28_are_relative_to_now()
    {
        IReadOnlyList<Lwm2mRecord> records = Records("""[{"n":"/3/0/9","v":50,"t":-60},{"n":"/3/0/9","v":51,"t":0},{"n":"/3/0/10","v":1}]""");
        Assert.Equal(Now.AddSeconds(-60), records[0].Timestamp);
        Assert.Equal(Now, records[1].Timestamp);
        Assert.Null(records[2].Timestamp);
    }

    [Fact]
    public void Read_composite_body_is_names_without_values()
    {
        IReadOnlyList<Lwm2mRecord> records = Records("""[{"bn":"/3/0/","n":"1"},{"n":"2"},{"bn":"/","n":"1/0"},{"bn":"","n":"/"}]""");
        Assert.Equal(["/3/0/1", "/3/0/2", "/1/0", "/"], records.Select(r => r.Path.ToString()));
        Assert.All(records, r => Assert.Null(r.Value));
        Assert.Equal("""[{"n":"/3/0/1"},{"n":"/1/0"}]""", EncodeRecords([new(new Lwm2mPath(3, 0, 1), null), new(new Lwm2mPath(1, 0), null)]));
    }

    [Fact]
    public void Time_series_records_carry_absolute_times_and_round_trip()
    {
        var at = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
        Lwm2mRecord[] records =
        [
            new(new Lwm2mPath(30000, 0, 3), Lwm2mValue.FromFloat(22.4), at),
            new(new Lwm2mPath(30000, 0, 3), Lwm2mValue.FromFloat(22.9), at.AddMilliseconds(1500)),
            new(new Lwm2mPath(3, 0, 9), Lwm2mValue.FromInteger(80), at.AddSeconds(2)),
        ];
        string json = EncodeRecords(records);
        Assert.Equal("""[{"n":"/30000/0/3","t":1700000000,"v":22.4},{"n":"/30000/0/3","t":1700000001.5,"v":22.9},{"n":"/3/0/9","t":1700000002,"v":80}]""", json);
        Assert.Equal(records, Records(json));
    }

    [Fact]
    public void Unknown_resources_take_their_type_from_the_SenML_field()
    {
        IReadOnlyList<Lwm2mRecord> records = Records("""[{"bn":"/77/0/","n":"1","v":3},{"n":"2","v":3.5},{"n":"3","vs":"x"},{"n":"4","vb":false},{"n":"5","vd":"AA"},{"n":"6","vlo":"1:2"}]""");
        Assert.Equal(
            [Lwm2mResourceType.Integer, Lwm2mResourceType.Float, Lwm2mResourceType.String, Lwm2mResourceType.Boolean, Lwm2mResourceType.Opaque, Lwm2mResourceType.Objlnk],
            records.Select(r => r.Value!.Value.Type));
    }

    [Fact]
    public void Random_trees_at_every_level_round_trip()
    {
        var rng = new Random(110);
        for (int n = 0; n < 3000; n++)
        {
            (Lwm2mPath path, Lwm2mNode node) = RandomTrees.AnyLevel(rng);
            node = WithoutEmptyMultipleResources(node);
            byte[] bytes = RandomTrees.Encode(Codec, path, node);
            Lwm2mCodecResult<Lwm2mNode> back = Codec.DecodeNode(bytes, path, TestModel.Instance);
            Assert.True(back.IsSuccess, $"case {n} at {path}: {back.Error} in {Encoding.UTF8.GetString(bytes)}");
            Assert.Equal(node, back.Value);
        }
    }

    [Fact]
    public void Random_composite_records_round_trip()
    {
        var rng = new Random(8428);
        for (int n = 0; n < 1000; n++)
        {
            var records = new List<Lwm2mRecord>();
            for (int k = rng.Next(0, 6); k > 0; k--)
            {
                int t = rng.Next(TestModel.ValueTypes.Length);
                Lwm2mPath path = rng.Next(2) == 0 ? new Lwm2mPath(30000, rng.Next(3), t) : new Lwm2mPath(30000, rng.Next(3), 10 + t, rng.Next(3));
                DateTimeOffset? time = rng.Next(2) == 0 ? null : DateTimeOffset.FromUnixTimeMilliseconds(rng.NextInt64(300_000_000_000, 4_000_000_000_000));
                records.Add(new Lwm2mRecord(path, rng.Next(5) == 0 ? null : RandomTrees.Value(rng, TestModel.ValueTypes[t]), time));
            }

            string json = EncodeRecords(records);
            Assert.Equal(records, Records(json));
        }
    }

    private static string EncodeRecords(IReadOnlyList<Lwm2mRecord> records)
    {
        var buffer = new ArrayBufferWriter<byte>();
        Assert.Null(Codec.EncodeRecords(records, buffer));
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>SenML cannot say "a multiple resource with no instances" or "an instance with no resources" inside a larger node; they vanish.</summary>
    internal static Lwm2mNode WithoutEmptyMultipleResources(Lwm2mNode node) => node switch
    {
        Lwm2mObject o => o with { Instances = [.. o.Instances.Select(i => (Lwm2mObjectInstance)WithoutEmptyMultipleResources(i)).Where(i => i.Resources.Count > 0)] },
        Lwm2mObjectInstance i => i with { Resources = [.. i.Resources.Where(r => r is not Lwm2mMultipleResource { Instances.Count: 0 })] },
        _ => node,
    };
}
