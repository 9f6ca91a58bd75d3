using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Tests.Model;

public class Lwm2mNodesTests
{
    private static Lwm2mObjectInstance Device(params Lwm2mResource[] resources) => new(0, resources);

    private static Lwm2mSingleResource Text(int id, string value) => new(id, Lwm2mValue.FromString(value));

    private static Lwm2mMultipleResource Ints(int id, params (int Id, long Value)[] items) =>
        new(id, Lwm2mResourceType.Integer, items.Select(i => new Lwm2mResourceInstance(i.Id, Lwm2mValue.FromInteger(i.Value))).ToList());

    [Fact]
    public void Nodes_built_separately_from_equal_parts_are_equal_with_equal_hashes()
    {
        Lwm2mObjectInstance a = Device(Text(0, "Tern"), Ints(7, (0, 3800), (1, 5000)));
        Lwm2mObjectInstance b = Device(Text(0, "Tern"), Ints(7, (0, 3800), (1, 5000)));

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.Equal(new Lwm2mObject(3, [a]), new Lwm2mObject(3, [b]));
    }

    [Fact]
    public void Children_in_another_order_still_make_an_equal_node()
    {
        Assert.Equal(Device(Text(0, "a"), Text(1, "b")), Device(Text(1, "b"), Text(0, "a")));
        Assert.Equal(Ints(7, (0, 1), (1, 2)), Ints(7, (1, 2), (0, 1)));
        Assert.Equal(new Lwm2mObject(3, [new(0, []), new(1, [])]), new Lwm2mObject(3, [new(1, []), new(0, [])]));
    }

    [Fact]
    public void Any_differing_part_makes_nodes_unequal()
    {
        Lwm2mObjectInstance baseline = Device(Text(0, "a"), Ints(7, (0, 1)));

        Assert.NotEqual(baseline, Device(Text(0, "b"), Ints(7, (0, 1))));
        Assert.NotEqual(baseline, Device(Text(0, "a"), Ints(7, (0, 2))));
        Assert.NotEqual(baseline, Device(Text(0, "a"), Ints(7, (1, 1))));
        Assert.NotEqual(baseline, Device(Text(0, "a")));
        Assert.NotEqual(baseline, Device(Text(0, "a"), Ints(7, (0, 1)), Text(1, "x")));
        Assert.NotEqual(baseline, new Lwm2mObjectInstance(1, baseline.Resources));
        Assert.NotEqual(Device(Text(0, "a"), Text(0, "a")), Device(Text(0, "a"), Text(1, "a")));
        Assert.NotEqual(new Lwm2mObject(3, [baseline]), new Lwm2mObject(4, [baseline]));
    }

    [Fact]
    public void A_multiple_resource_compares_its_declared_type()
    {
        var asInteger = new Lwm2mMultipleResource(1, Lwm2mResourceType.Integer, []);
        var asString = new Lwm2mMultipleResource(1, Lwm2mResourceType.String, []);

        Assert.NotEqual(asInteger, asString);
    }

    [Fact]
    public void Nodes_of_different_kinds_with_the_same_id_and_value_differ()
    {
        Lwm2mValue v = Lwm2mValue.FromInteger(1);
        Lwm2mNode single = new Lwm2mSingleResource(2, v), instance = new Lwm2mResourceInstance(2, v);

        Assert.NotEqual(single, instance);
        Assert.False(single.Equals(instance));
        Assert.NotEqual<Lwm2mNode>(new Lwm2mObject(2, []), new Lwm2mObjectInstance(2, []));
    }

    [Fact]
    public void Opaque_values_inside_nodes_compare_by_content()
    {
        Assert.Equal(new Lwm2mSingleResource(3, Lwm2mValue.FromOpaque([1, 2])), new Lwm2mSingleResource(3, Lwm2mValue.FromOpaque([1, 2])));
    }

    [Theory]
    [InlineData("3:0", true, 3, 0)]
    [InlineData("65535:65535", true, 65535, 65535)]
    [InlineData("3", false, 0, 0)]
    [InlineData("3:x", false, 0, 0)]
    [InlineData("+3:0", false, 0, 0)]
    [InlineData("65536:0", false, 0, 0)]
    public void Object_links_parse_from_colon_text(string text, bool ok, int objectId, int instanceId)
    {
        Assert.Equal(ok, Lwm2mObjectLink.TryParse(text, out Lwm2mObjectLink link));
        Assert.Equal(new Lwm2mObjectLink((ushort)objectId, (ushort)instanceId), link);
        if (ok)
        {
            Assert.Equal(text, link.ToString());
        }
    }
}
