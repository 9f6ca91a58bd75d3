using Tern.Lwm2m.Definitions;
using Tern.Lwm2m.Definitions.BuiltIn;
using Tern.Lwm2m.Definitions.Ddf;
using Tern.Lwm2m.Tests.Definitions.Ddf;

namespace Tern.Lwm2m.Tests.Definitions.BuiltIn;

public class BuiltInObjectsTests
{
    [Theory]
    [InlineData(0, 31)]
    [InlineData(1, 28)]
    [InlineData(2, 4)]
    [InlineData(3, 23)]
    [InlineData(4, 14)]
    [InlineData(5, 14)]
    [InlineData(6, 7)]
    [InlineData(7, 9)]
    [InlineData(9, 19)]
    [InlineData(3303, 12)]
    [InlineData(3424, 17)]
    public void Built_in_object_agrees_field_by_field_with_the_registry_file(int objectId, int resourceCount)
    {
        DdfLoadResult loaded = DdfObjectLoader.Default.LoadFile(Registry.File($"{objectId}.xml"));
        Assert.True(loaded.IsSuccess, loaded.Error?.ToString());
        ObjectDefinition expected = Assert.Single(loaded.Objects);
        ObjectDefinition actual = Assert.Single(BuiltInObjects.All, o => o.Id == objectId);

        Assert.Equal(
            (expected.Id, expected.Name, expected.Version, expected.Lwm2mVersion, expected.Multiple, expected.Mandatory, expected.Urn),
            (actual.Id, actual.Name, actual.Version, actual.Lwm2mVersion, actual.Multiple, actual.Mandatory, actual.Urn));
        Assert.Equal(resourceCount, expected.Resources.Count);
        Assert.Equal(expected.Resources.Keys.Order(), actual.Resources.Keys.Order());
        foreach (ResourceDefinition e in expected.Resources.Values)
        {
            ResourceDefinition a = actual.Resources[e.Id];
            Assert.Equal(
                (e.Id, e.Name, e.Operations, e.Multiple, e.Mandatory, e.Type, e.RangeEnumeration, e.Units),
                (a.Id, a.Name, a.Operations, a.Multiple, a.Mandatory, a.Type, a.RangeEnumeration, a.Units));
        }
    }

    [Fact]
    public void The_built_ins_are_the_eleven_objects_the_stack_needs_in_ascending_order()
    {
        Assert.Equal([0, 1, 2, 3, 4, 5, 6, 7, 9, 3303, 3424], BuiltInObjects.All.Select(o => o.Id));
    }

    [Fact]
    public void Built_ins_carry_no_description_text()
    {
        Assert.All(BuiltInObjects.All, o =>
        {
            Assert.Equal(string.Empty, o.Description);
            Assert.All(o.Resources.Values, r => Assert.Equal(string.Empty, r.Description));
        });
    }

    [Fact]
    public void Named_accessors_return_the_objects_their_names_say()
    {
        Assert.Equal(
            [(0, "LWM2M Security"), (1, "LwM2M Server"), (2, "LwM2M Access Control"), (3, "Device"), (4, "Connectivity Monitoring"),
             (5, "Firmware Update"), (6, "Location"), (7, "Connectivity Statistics"), (9, "LWM2M Software Management"),
             (3303, "Temperature"), (3424, "Water meter")],
            new[]
            {
                BuiltInObjects.Security, BuiltInObjects.Server, BuiltInObjects.AccessControl, BuiltInObjects.Device,
                BuiltInObjects.ConnectivityMonitoring, BuiltInObjects.FirmwareUpdate, BuiltInObjects.Location,
                BuiltInObjects.ConnectivityStatistics, BuiltInObjects.SoftwareManagement, BuiltInObjects.Temperature, BuiltInObjects.WaterMeter,
            }.Select(o => (o.Id, o.Name)));
    }

    [Fact]
    public void Device_reboot_is_a_mandatory_executable_without_type()
    {
        ResourceDefinition reboot = BuiltInObjects.Device.GetResource(4)!;

        Assert.Equal(new ResourceDefinition(4, "Reboot", Lwm2mOperations.Execute, false, true, Tern.Lwm2m.Model.Lwm2mResourceType.None), reboot);
    }
}
