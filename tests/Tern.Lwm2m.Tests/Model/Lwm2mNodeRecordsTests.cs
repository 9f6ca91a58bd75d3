using Tern.Lwm2m.Definitions;
using Tern.Lwm2m.Formats;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Tests.Model;

public class Lwm2mNodeRecordsTests
{
    private static readonly ObjectDefinitionRegistry Model = new();
    private static readonly ObjectDefinitionRegistry NoModel = new(includeBuiltIns: false);

    private static Lwm2mPath P(string text) => Lwm2mPath.Parse(text);

    private static Lwm2mObjectInstance DeviceInstance(int id = 0) => new(id,
    [
        new Lwm2mSingleResource(0, Lwm2mValue.FromString("Tern")),
        new Lwm2mMultipleResource(7, Lwm2mResourceType.Integer,
            [new(0, Lwm2mValue.FromInteger(3800)), new(1, Lwm2mValue.FromInteger(5000))]),
        new Lwm2mSingleResource(9, Lwm2mValue.FromInteger(95)),
        new Lwm2mSingleResource(13, Lwm2mValue.FromUnixTime(1_700_000_000)),
    ]);

    private static Lwm2mNode Rebuild(string path, Lwm2mNode node, IObjectDefinitionProvider model)
    {
        List<Lwm2mRecord> records = Lwm2mNodeRecords.Flatten(P(path), node);
        Lwm2mCodecResult<Lwm2mNode> built = Lwm2mNodeRecords.Build(P(path), records, model);
        Assert.True(built.IsSuccess, built.Error?.ToString());
        return built.Value!;
    }

    [Fact]
    public void Flattening_an_instance_gives_one_record_per_value_at_absolute_paths()
    {
        var at = new DateTimeOffset(2026, 11, 21, 0, 0, 0, TimeSpan.Zero);

        List<Lwm2mRecord> records = Lwm2mNodeRecords.Flatten(P("/3/0"), DeviceInstance(), at);

        Assert.Equal(["/3/0/0", "/3/0/7/0", "/3/0/7/1", "/3/0/9", "/3/0/13"], records.Select(r => r.Path.ToString()));
        Assert.Equal(Lwm2mValue.FromInteger(5000), records[2].Value);
        Assert.All(records, r => Assert.Equal(at, r.Timestamp));
    }

    [Fact]
    public void An_object_round_trips()
    {
        var node = new Lwm2mObject(3, [DeviceInstance(0), DeviceInstance(1)]);

        Assert.Equal(node, Rebuild("/3", node, Model));
        Assert.Equal(node, Rebuild("/3", node, NoModel));
    }

    [Fact]
    public void An_instance_round_trips_with_and_without_a_model()
    {
        Assert.Equal(DeviceInstance(), Rebuild("/3/0", DeviceInstance(), Model));
        Assert.Equal(DeviceInstance(), Rebuild("/3/0", DeviceInstance(), NoModel));
    }

    [Fact]
    public void A_single_resource_round_trips()
    {
        var node = new Lwm2mSingleResource(0, Lwm2mValue.FromString("Tern"));

        Assert.Equal(node, Rebuild("/3/0/0", node, Model));
    }

    [Fact]
    public void A_multiple_resource_round_trips()
    {
        var node = new Lwm2mMultipleResource(7, Lwm2mResourceType.Integer, [new(0, Lwm2mValue.FromInteger(1)), new(5, Lwm2mValue.FromInteger(2))]);

        Assert.Equal(node, Rebuild("/3/0/7", node, Model));
        Assert.Equal(node, Rebuild("/3/0/7", node, NoModel));
    }

    [Fact]
    public void A_resource_instance_round_trips()
    {
        var node = new Lwm2mResourceInstance(1, Lwm2mValue.FromInteger(5000));

        Assert.Equal(node, Rebuild("/3/0/7/1", node, Model));
    }

    [Fact]
    public void An_empty_object_and_an_empty_instance_round_trip()
    {
        Assert.Equal(new Lwm2mObject(3, []), Rebuild("/3", new Lwm2mObject(3, []), Model));
        Assert.Equal(new Lwm2mObjectInstance(2, []), Rebuild("/3/2", new Lwm2mObjectInstance(2, []), Model));
    }

    [Fact]
    public void Building_takes_the_multiple_resource_type_from_the_model()
    {
        Lwm2mRecord[] records = [new(P("/3/0/7/0"), Lwm2mValue.FromInteger(1))];

        var built = (Lwm2mMultipleResource)Lwm2mNodeRecords.Build(P("/3/0/7"), records, Model).Value!;

        Assert.Equal(Lwm2mResourceType.Integer, built.Type);
    }

    [Fact]
    public void Records_in_any_order_build_the_same_node()
    {
        List<Lwm2mRecord> records = Lwm2mNodeRecords.Flatten(P("/3/0"), DeviceInstance());
        records.Reverse();

        Assert.Equal(DeviceInstance(), Lwm2mNodeRecords.Build(P("/3/0"), records, Model).Value);
    }

    [Fact]
    public void Flatten_refuses_a_node_at_a_path_of_the_wrong_level_or_id()
    {
        Assert.Throws<ArgumentException>(() => Lwm2mNodeRecords.Flatten(P("/3/0/1"), DeviceInstance()));
        Assert.Throws<ArgumentException>(() => Lwm2mNodeRecords.Flatten(P("/3/0/1/2"), DeviceInstance()));
        Assert.Throws<ArgumentException>(() => Lwm2mNodeRecords.Flatten(P("/3/1"), DeviceInstance(0)));
        Assert.Throws<ArgumentException>(() => Lwm2mNodeRecords.Flatten(P("/"), new Lwm2mObject(3, [])));
        Assert.Throws<ArgumentException>(() => Lwm2mNodeRecords.Flatten(P("/3/0/7"), new Lwm2mResourceInstance(7, Lwm2mValue.FromInteger(1))));
        Assert.Throws<ArgumentNullException>(() => Lwm2mNodeRecords.Flatten(P("/3"), null!));
    }

    private static Lwm2mCodecError BuildError(string path, IObjectDefinitionProvider model, params Lwm2mRecord[] records)
    {
        Lwm2mCodecResult<Lwm2mNode> result = Lwm2mNodeRecords.Build(P(path), records, model);
        Assert.False(result.IsSuccess, $"Built {result.Value}");
        return result.Error!;
    }

    private static Lwm2mRecord R(string path, long value) => new(P(path), Lwm2mValue.FromInteger(value));

    [Fact]
    public void Building_at_the_root_is_unsupported()
    {
        Assert.Equal(Lwm2mCodecErrorKind.Unsupported, BuildError("/", Model, R("/3/0/9", 1)).Kind);
    }

    [Fact]
    public void A_record_outside_the_request_path_is_an_invalid_path()
    {
        Assert.Equal(Lwm2mCodecErrorKind.InvalidPath, BuildError("/3/0", Model, R("/3/1/9", 1)).Kind);
    }

    [Fact]
    public void A_record_without_a_value_or_above_resource_level_is_a_mismatch()
    {
        Assert.Equal(Lwm2mCodecErrorKind.PathMismatch, BuildError("/3/0", Model, new Lwm2mRecord(P("/3/0/9"), null)).Kind);
        Assert.Equal(Lwm2mCodecErrorKind.PathMismatch, BuildError("/3", Model, new Lwm2mRecord(P("/3/0"), Lwm2mValue.FromInteger(1))).Kind);
    }

    [Fact]
    public void A_single_resource_with_an_instance_id_and_a_multiple_one_without_are_mismatches()
    {
        Assert.Contains("is single", BuildError("/3/0", Model, R("/3/0/9/0", 1)).Message, StringComparison.Ordinal);
        Assert.Contains("is multiple", BuildError("/3/0", Model, R("/3/0/7", 1)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_resource_given_both_as_single_and_multiple_is_malformed()
    {
        Lwm2mCodecError error = BuildError("/42000/0", NoModel, R("/42000/0/1", 1), R("/42000/0/1/0", 2));

        Assert.Equal(Lwm2mCodecErrorKind.Malformed, error.Kind);
        Assert.Equal(Lwm2mCodecErrorKind.Malformed, BuildError("/42000/0", NoModel, R("/42000/0/1/0", 2), R("/42000/0/1", 1)).Kind);
    }

    [Fact]
    public void A_resource_instance_of_a_single_resource_is_a_mismatch_even_when_requested_directly()
    {
        Assert.Contains("is single", BuildError("/3/0/9/0", Model, R("/3/0/9/0", 1)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_record_given_twice_is_malformed()
    {
        Assert.Contains("twice", BuildError("/3/0", Model, R("/3/0/9", 1), R("/3/0/9", 2)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_resource_request_without_its_value_is_a_mismatch()
    {
        Assert.Equal(Lwm2mCodecErrorKind.PathMismatch, BuildError("/3/0/9", Model).Kind);
    }

    [Fact]
    public void A_resource_instance_request_needs_exactly_its_one_value()
    {
        Assert.Equal(Lwm2mCodecErrorKind.InvalidPath, BuildError("/3/0/7/1", Model, R("/3/0/7/0", 1)).Kind);
        Assert.Equal(Lwm2mCodecErrorKind.PathMismatch, BuildError("/3/0/7/1", Model).Kind);
    }

    [Fact]
    public void Random_instances_round_trip_through_records()
    {
        var random = new Random(99);
        for (int n = 0; n < 500; n++)
        {
            var resources = new List<Lwm2mResource>();
            foreach (int id in Enumerable.Range(0, 30).Where(_ => random.Next(3) == 0))
            {
                resources.Add(random.Next(2) == 0
                    ? new Lwm2mSingleResource(id, Lwm2mValueConverterTests.RandomValue(random))
                    : new Lwm2mMultipleResource(id, Lwm2mResourceType.Integer,
                        Enumerable.Range(0, random.Next(1, 4)).Select(ri => new Lwm2mResourceInstance(ri * 3, Lwm2mValue.FromInteger(random.Next()))).ToList()));
            }

            var instance = new Lwm2mObjectInstance(random.Next(0, 65535), resources);
            string path = $"/42000/{instance.Id}";

            Assert.Equal(instance, Rebuild(path, instance, NoModel));
        }
    }
}
