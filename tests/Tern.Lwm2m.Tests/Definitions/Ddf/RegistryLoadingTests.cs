using Tern.Lwm2m.Definitions;
using Tern.Lwm2m.Definitions.Ddf;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Tests.Definitions.Ddf;

public class RegistryLoadingTests
{
    [Fact]
    public void Every_file_in_the_registry_loads_without_error()
    {
        string[] files = Directory.GetFiles(Registry.Directory, "*.xml");
        Assert.True(files.Length >= 300, $"Expected the full registry (330 XML files) in {Registry.Directory}, found {files.Length}.");

        DdfDirectoryLoadResult result = DdfObjectLoader.Default.LoadDirectory(Registry.Directory);

        Assert.True(result.IsSuccess, "Registry files failed to load:\n" + string.Join("\n", result.Errors));
        Assert.Equal(files.Length, result.Files.Count);
    }

    [Fact]
    public void Every_object_file_yields_exactly_the_object_its_name_promises()
    {
        foreach (string file in Directory.GetFiles(Registry.Directory, "*.xml"))
        {
            string name = Path.GetFileNameWithoutExtension(file);
            if (!int.TryParse(name, out int id))
            {
                continue;
            }

            DdfLoadResult result = DdfObjectLoader.Default.LoadFile(file);
            Assert.True(result.IsSuccess, result.Error?.ToString());
            ObjectDefinition single = Assert.Single(result.Objects);
            Assert.Equal(id, single.Id);
            Assert.NotEmpty(single.Name);
            Assert.NotEmpty(single.Urn);
        }
    }

    [Fact]
    public void The_registry_holds_327_objects_with_3464_resources()
    {
        // Counted independently of this loader (by a plain XPath count over the registry's files).
        DdfDirectoryLoadResult result = DdfObjectLoader.Default.LoadDirectory(Registry.Directory);

        Assert.Equal(327, result.Objects.Count);
        Assert.Equal(3464, result.Objects.Sum(o => o.Resources.Count));
        Assert.Equal(result.Objects.Count, result.Objects.Select(o => o.Id).Distinct().Count());
    }

    [Theory]
    [InlineData("LWM2M.xsd\"", 284)]
    [InlineData("LWM2M-v1_1.xsd\"", 43)]
    public void Files_of_both_schema_shapes_load(string schemaLocation, int expectedFiles)
    {
        string[] files = Directory.GetFiles(Registry.Directory, "*.xml")
            .Where(f => File.ReadAllText(f).Contains(schemaLocation, StringComparison.Ordinal)).ToArray();

        Assert.Equal(expectedFiles, files.Length);
        Assert.All(files, f =>
        {
            DdfLoadResult result = DdfObjectLoader.Default.LoadFile(f);
            Assert.True(result.IsSuccess, result.Error?.ToString());
            Assert.NotEmpty(result.Objects);
        });
    }

    [Fact]
    public void The_registry_index_units_table_and_common_resources_are_recognised_not_rejected()
    {
        Assert.Equal(DdfDocumentKind.RegistryIndex, DdfObjectLoader.Default.LoadFile(Registry.File("DDF.xml")).Kind);
        Assert.Equal(DdfDocumentKind.UnitsTable, DdfObjectLoader.Default.LoadFile(Registry.File("LWM2M_senml_units.xml")).Kind);

        DdfLoadResult common = DdfObjectLoader.Default.LoadFile(Registry.File("Common.xml"));
        Assert.True(common.IsSuccess, common.Error?.ToString());
        Assert.Empty(common.Objects);
        Assert.Equal(177, common.CommonResources.Count); // counted with an XML tool outside this code
        Assert.Equal(62, common.CommonResources.Count(r => r.Type == Lwm2mResourceType.Float));
        Assert.All(common.CommonResources, r => Assert.False(r.Multiple));
        ResourceDefinition handle = Assert.Single(common.CommonResources, r => r.Id == 4000);
        Assert.Equal("ObjectInstanceHandle", handle.Name);
        Assert.Equal(Lwm2mResourceType.Objlnk, handle.Type);
        Assert.Equal(Lwm2mOperations.Read, handle.Operations);
    }

    [Fact]
    public void Resource_types_from_both_schema_versions_are_read()
    {
        DdfDirectoryLoadResult result = DdfObjectLoader.Default.LoadDirectory(Registry.Directory);
        var types = result.Objects.SelectMany(o => o.Resources.Values).GroupBy(r => r.Type).ToDictionary(g => g.Key, g => g.Count());

        // Counts of <Type> values in the registry's object files, taken with an XML tool outside this code.
        Assert.Equal(1031, types[Lwm2mResourceType.Integer]);
        Assert.Equal(762, types[Lwm2mResourceType.Float]);
        Assert.Equal(589, types[Lwm2mResourceType.String]);
        Assert.Equal(286, types[Lwm2mResourceType.Boolean]);
        Assert.Equal(274, types[Lwm2mResourceType.None]);
        Assert.Equal(179, types[Lwm2mResourceType.Time]);
        Assert.Equal(136, types[Lwm2mResourceType.UnsignedInteger]);
        Assert.Equal(119, types[Lwm2mResourceType.Opaque]);
        Assert.Equal(68, types[Lwm2mResourceType.Objlnk]);
        Assert.Equal(20, types[Lwm2mResourceType.Corelnk]);
    }

    [Fact]
    public void A_file_whose_items_use_the_other_element_order_and_omit_range_is_read_fully()
    {
        // Some registry files list Type before Operations and leave out RangeEnumeration.
        string file = Directory.GetFiles(Registry.Directory, "*.xml")
            .First(f => File.ReadAllText(f).Contains("<Type>", StringComparison.Ordinal) && !File.ReadAllText(f).Contains("<RangeEnumeration", StringComparison.Ordinal));

        DdfLoadResult result = DdfObjectLoader.Default.LoadFile(file);

        Assert.True(result.IsSuccess, result.Error?.ToString());
        Assert.All(result.Objects.Single().Resources.Values, r => Assert.Equal(string.Empty, r.RangeEnumeration));
    }
}
