using System.Text.Json;
using Tern.Lwm2m.Model;
using Tern.Lwm2m.Server.Rest.Json;

namespace Tern.Lwm2m.Server.Rest.Tests.Json;

public class NodeJsonTests
{
    private static NodeDto Parse(string json) => JsonSerializer.Deserialize(json, RestJson.Context.NodeDto)!;

    private static string Write(NodeDto dto) => JsonSerializer.Serialize(dto, RestJson.Context.NodeDto);

    [Fact]
    public void Single_integer_resource_is_written_with_its_path_type_and_number()
    {
        string json = Write(NodeJson.ToDto(new Lwm2mSingleResource(9, Lwm2mValue.FromInteger(100)), Lwm2mPath.Parse("/3/0/9")));

        Assert.Equal("""{"path":"/3/0/9","kind":"resource","id":9,"type":"Integer","value":100}""", json);
    }

    [Fact]
    public void Instance_with_a_multiple_resource_is_written_as_nested_json()
    {
        var instance = new Lwm2mObjectInstance(0,
        [
            new Lwm2mSingleResource(0, Lwm2mValue.FromString("Tern")),
            new Lwm2mMultipleResource(7, Lwm2mResourceType.Integer, [new Lwm2mResourceInstance(0, Lwm2mValue.FromInteger(3800)), new Lwm2mResourceInstance(1, Lwm2mValue.FromInteger(5000))]),
        ]);

        string json = Write(NodeJson.ToDto(instance, Lwm2mPath.Parse("/3/0")));

        Assert.Equal(
            """{"path":"/3/0","kind":"instance","id":0,"resources":[{"kind":"resource","id":0,"type":"String","value":"Tern"},{"kind":"multipleResource","id":7,"type":"Integer","values":{"0":3800,"1":5000}}]}""",
            json);
    }

    [Theory]
    [InlineData("String", "\"abc\"")]
    [InlineData("Integer", "-9223372036854775808")]
    [InlineData("UnsignedInteger", "18446744073709551615")]
    [InlineData("Float", "1.5")]
    [InlineData("Boolean", "true")]
    [InlineData("Opaque", "\"AQID\"")]
    [InlineData("Time", "\"2026-11-21T15:00:00Z\"")]
    [InlineData("Objlnk", "\"3:0\"")]
    [InlineData("Corelnk", "\"</3/0>\"")]
    public void Every_type_reads_back_to_the_json_it_was_given(string type, string value)
    {
        NodeDto dto = Parse($$"""{"type":"{{type}}","value":{{value}}}""");

        Assert.True(NodeJson.TryToNode(dto, Lwm2mPath.Parse("/3/0/1"), out Lwm2mNode? node, out string error), error);
        var resource = Assert.IsType<Lwm2mSingleResource>(node);
        Assert.Equal(type, resource.Value.Type.ToString());
        Assert.Equal(value, JsonValues.ToJson(resource.Value).GetRawText());
    }

    [Fact]
    public void Time_is_also_accepted_as_unix_seconds()
    {
        Assert.True(NodeJson.TryToNode(Parse("""{"type":"time","value":1700000000}"""), Lwm2mPath.Parse("/3/0/13"), out Lwm2mNode? node, out _));

        Assert.Equal(Lwm2mValue.FromUnixTime(1_700_000_000), Assert.IsType<Lwm2mSingleResource>(node).Value);
    }

    [Theory]
    [InlineData("""{"type":"Integer","value":"100"}""", "\"100\" is not a valid Integer value")]
    [InlineData("""{"type":"Integer","value":1.5}""", "1.5 is not a valid Integer value")]
    [InlineData("""{"type":"UnsignedInteger","value":-1}""", "-1 is not a valid UnsignedInteger value")]
    [InlineData("""{"type":"Boolean","value":1}""", "1 is not a valid Boolean value")]
    [InlineData("""{"type":"Opaque","value":"not base64!"}""", "is not a valid Opaque value")]
    [InlineData("""{"type":"Objlnk","value":"3"}""", "is not a valid Objlnk value")]
    [InlineData("""{"type":"Number","value":1}""", "'Number' is not an LwM2M type")]
    [InlineData("""{"type":"1","value":1}""", "'1' is not an LwM2M type")]
    [InlineData("""{"value":1}""", "'type' is missing")]
    [InlineData("""{"type":"Integer"}""", "a value is missing")]
    [InlineData("""{"path":"/3/0/2","type":"Integer","value":1}""", "differs from the request path")]
    [InlineData("""{"id":4,"type":"Integer","value":1}""", "differs from the last id")]
    [InlineData("""{"kind":"instance","type":"Integer","value":1}""", "kind 'instance' does not fit here")]
    public void Bad_resource_bodies_are_refused_with_a_message_saying_what_is_wrong(string json, string expected)
    {
        bool ok = NodeJson.TryToNode(Parse(json), Lwm2mPath.Parse("/3/0/1"), out Lwm2mNode? node, out string error);

        Assert.False(ok);
        Assert.Null(node);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Contains("/3/0/1", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Instance_body_reads_into_single_and_multiple_resources()
    {
        NodeDto dto = Parse("""{"resources":[{"id":1,"type":"Integer","value":60},{"id":7,"type":"Integer","values":{"1":5000,"0":3800}}]}""");

        Assert.True(NodeJson.TryToNode(dto, Lwm2mPath.Parse("/1/0"), out Lwm2mNode? node, out string error), error);

        var expected = new Lwm2mObjectInstance(0,
        [
            new Lwm2mSingleResource(1, Lwm2mValue.FromInteger(60)),
            new Lwm2mMultipleResource(7, Lwm2mResourceType.Integer, [new Lwm2mResourceInstance(0, Lwm2mValue.FromInteger(3800)), new Lwm2mResourceInstance(1, Lwm2mValue.FromInteger(5000))]),
        ]);
        Assert.Equal(expected, node);
    }

    [Theory]
    [InlineData("""{"resources":[{"type":"Integer","value":60}]}""", "needs an id")]
    [InlineData("""{"resources":[{"id":1,"type":"Integer","value":60},{"id":1,"type":"Integer","value":61}]}""", "id 1 appears twice")]
    [InlineData("""{"resources":[{"id":7,"type":"Integer","values":{"x":1}}]}""", "'x' is not a resource instance id")]
    [InlineData("""{"resources":[{"id":7,"type":"Integer","values":{"0":true}}]}""", "/1/0/7/0: true is not a valid Integer value")]
    [InlineData("""{"id":0}""", "'resources' is missing")]
    public void Bad_instance_bodies_name_the_offending_child(string json, string expected)
    {
        Assert.False(NodeJson.TryToNode(Parse(json), Lwm2mPath.Parse("/1/0"), out _, out string error));

        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Random_instances_survive_a_round_trip_through_json()
    {
        var random = new Random(6);
        for (int n = 0; n < 200; n++)
        {
            var resources = new List<Lwm2mResource>();
            foreach (int id in Enumerable.Range(0, random.Next(1, 8)).Select(i => i * 3 + random.Next(3)))
            {
                resources.Add(random.Next(4) == 0
                    ? new Lwm2mMultipleResource(id, Lwm2mResourceType.Integer, Enumerable.Range(0, random.Next(1, 4)).Select(ri => new Lwm2mResourceInstance(ri, Lwm2mValue.FromInteger(random.NextInt64()))).ToList())
                    : new Lwm2mSingleResource(id, RandomValue(random)));
            }
            var instance = new Lwm2mObjectInstance(random.Next(100), resources);
            var path = new Lwm2mPath(random.Next(40000), instance.Id);

            NodeDto dto = Parse(Write(NodeJson.ToDto(instance, path)));

            Assert.True(NodeJson.TryToNode(dto, path, out Lwm2mNode? back, out string error), error);
            Assert.Equal(instance, back);
        }
    }

    private static Lwm2mValue RandomValue(Random random) => random.Next(9) switch
    {
        0 => Lwm2mValue.FromString(new string((char)random.Next('a', 'z'), random.Next(5))),
        1 => Lwm2mValue.FromInteger(random.NextInt64(long.MinValue, long.MaxValue)),
        2 => Lwm2mValue.FromUnsignedInteger((ulong)random.NextInt64() * 2),
        3 => Lwm2mValue.FromFloat(random.NextDouble() * 1e6 - 5e5),
        4 => Lwm2mValue.FromBoolean(random.Next(2) == 1),
        5 => Lwm2mValue.FromOpaque([.. Enumerable.Range(0, random.Next(6)).Select(_ => (byte)random.Next(256))]),
        6 => Lwm2mValue.FromUnixTime(random.NextInt64(0, 4_000_000_000)),
        7 => Lwm2mValue.FromObjectLink(new Lwm2mObjectLink((ushort)random.Next(65536), (ushort)random.Next(65536))),
        _ => Lwm2mValue.FromCoreLink("</3/0>"),
    };
}
