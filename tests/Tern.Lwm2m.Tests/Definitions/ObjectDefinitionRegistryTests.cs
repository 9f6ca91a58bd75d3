using System.Collections.ObjectModel;
using Tern.Lwm2m.Definitions;
using Tern.Lwm2m.Definitions.BuiltIn;
using Tern.Lwm2m.Model;
using Tern.Lwm2m.Tests.Definitions.Ddf;

namespace Tern.Lwm2m.Tests.Definitions;

public class ObjectDefinitionRegistryTests
{
    private static ObjectDefinition Object(int id, string name = "Custom", string version = "1.0") =>
        new(id, name, version, "1.1", true, false, $"urn:oma:lwm2m:x:{id}",
            new ReadOnlyDictionary<int, ResourceDefinition>(new Dictionary<int, ResourceDefinition>
            {
                [0] = new(0, "Value", Lwm2mOperations.Read, false, true, Lwm2mResourceType.Integer),
            }));

    [Fact]
    public void A_new_registry_knows_the_built_ins()
    {
        var registry = new ObjectDefinitionRegistry();

        Assert.Equal(BuiltInObjects.All.Select(o => o.Id), registry.Objects.Select(o => o.Id));
        Assert.Same(BuiltInObjects.Device, registry.GetObject(3));
        Assert.Null(registry.GetObject(10));
    }

    [Fact]
    public void An_empty_registry_knows_nothing()
    {
        var registry = new ObjectDefinitionRegistry(includeBuiltIns: false);

        Assert.Equal(0, registry.Count);
        Assert.Null(registry.GetObject(3));
    }

    [Fact]
    public void A_later_definition_replaces_the_earlier_one_and_returns_it()
    {
        var registry = new ObjectDefinitionRegistry();
        ObjectDefinition mine = Object(3, "My Device", "9.9");

        ObjectDefinition? replaced = registry.Add(mine);

        Assert.Same(BuiltInObjects.Device, replaced);
        Assert.Same(mine, registry.GetObject(3));
        Assert.Null(registry.Add(Object(42000)));
        Assert.Equal(12, registry.Count);
    }

    [Fact]
    public void Remove_forgets_an_object()
    {
        var registry = new ObjectDefinitionRegistry();

        Assert.True(registry.Remove(3303));
        Assert.False(registry.Remove(3303));
        Assert.False(registry.Contains(3303));
    }

    [Fact]
    public void An_id_of_65535_is_refused()
    {
        var registry = new ObjectDefinitionRegistry();

        Assert.Throws<ArgumentOutOfRangeException>(() => registry.Add(Object(65535)));
        Assert.Throws<ArgumentOutOfRangeException>(() => registry.AddRange([Object(10), Object(-1)]));
        Assert.False(registry.Contains(10));
    }

    [Fact]
    public void Loading_the_registry_directory_adds_every_object_and_the_files_override_built_ins()
    {
        var registry = new ObjectDefinitionRegistry();

        var result = registry.LoadDirectory(Registry.Directory);

        Assert.True(result.IsSuccess, string.Join("\n", result.Errors));
        Assert.Equal(327, registry.Count);
        Assert.NotSame(BuiltInObjects.Device, registry.GetObject(3));
        Assert.NotEmpty(registry.GetObject(3)!.Description);
    }

    [Fact]
    public void A_file_that_fails_to_load_adds_nothing()
    {
        var registry = new ObjectDefinitionRegistry(includeBuiltIns: false);

        var result = registry.LoadFile(Path.Combine(Path.GetTempPath(), "tern-missing-" + Guid.NewGuid().ToString("N") + ".xml"));

        Assert.False(result.IsSuccess);
        Assert.Equal(0, registry.Count);
    }

    [Fact]
    public async Task Readers_on_other_threads_always_see_a_complete_snapshot_while_a_writer_adds()
    {
        var registry = new ObjectDefinitionRegistry();
        using var stop = new CancellationTokenSource();
        var failures = 0;
        Task[] readers = Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                if (registry.GetObject(3) is null || registry.Objects.Count < BuiltInObjects.All.Count)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        })).ToArray();

        for (int id = 10000; id < 12000; id++)
        {
            registry.Add(Object(id));
        }

        stop.Cancel();
        await Task.WhenAll(readers);
        Assert.Equal(0, failures);
        Assert.Equal(BuiltInObjects.All.Count + 2000, registry.Count);
    }
}

public class ObjectDefinitionEqualityTests
{
    [Fact]
    public void Definitions_with_equal_resources_in_different_dictionaries_are_equal()
    {
        ObjectDefinition device = BuiltInObjects.Device;
        var copy = device with { Resources = device.Resources.Reverse().ToDictionary(kv => kv.Key, kv => kv.Value with { }) };

        Assert.Equal(device, copy);
        Assert.Equal(device.GetHashCode(), copy.GetHashCode());
    }

    [Fact]
    public void A_definition_differing_in_one_resource_field_is_unequal()
    {
        ObjectDefinition device = BuiltInObjects.Device;
        var changed = device.Resources.ToDictionary(kv => kv.Key, kv => kv.Value);
        changed[9] = changed[9] with { Units = "%" };

        Assert.NotEqual(device, device with { Resources = changed });
        Assert.NotEqual(device, device with { Version = "1.1" });
        Assert.NotEqual(device, device with { Resources = device.Resources.Where(kv => kv.Key != 22).ToDictionary() });
    }
}
