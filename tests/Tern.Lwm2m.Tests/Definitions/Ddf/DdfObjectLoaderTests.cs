using System.Text;
using Tern.Lwm2m.Definitions;
using Tern.Lwm2m.Definitions.Ddf;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Tests.Definitions.Ddf;

public class DdfObjectLoaderTests
{
    private static DdfLoadResult Load(string xml) => DdfObjectLoader.Default.LoadString(xml, "test.xml");

    [Fact]
    public void A_well_formed_object_is_read_field_by_field()
    {
        string items = DdfXml.Item(0, "Level", "RW", "Single", "Mandatory", "Float", "0..100", "%")
            + DdfXml.Item(1, "Reset", "E", "Single", "Optional", "")
            + DdfXml.Item(2, "Links", "R", "Multiple", "Optional", "Objlnk")
            + DdfXml.Item(3, "Count", "W", "Single", "Optional", "Unsigned Integer");

        DdfLoadResult result = Load(DdfXml.Document(DdfXml.Object("42000", items, "Single", "Mandatory")));

        Assert.True(result.IsSuccess, result.Error?.ToString());
        Assert.Equal(DdfDocumentKind.Definitions, result.Kind);
        ObjectDefinition o = Assert.Single(result.Objects);
        Assert.Equal((42000, "Test Object", "1.3", "1.1", false, true, "urn:oma:lwm2m:x:42000"), (o.Id, o.Name, o.Version, o.Lwm2mVersion, o.Multiple, o.Mandatory, o.Urn));
        Assert.Equal(new ResourceDefinition(0, "Level", Lwm2mOperations.ReadWrite, false, true, Lwm2mResourceType.Float, "0..100", "%", "d"), o.Resources[0]);
        Assert.Equal(new ResourceDefinition(1, "Reset", Lwm2mOperations.Execute, false, false, Lwm2mResourceType.None, "", "", "d"), o.Resources[1]);
        Assert.Equal(new ResourceDefinition(2, "Links", Lwm2mOperations.Read, true, false, Lwm2mResourceType.Objlnk, "", "", "d"), o.Resources[2]);
        Assert.Equal(Lwm2mOperations.Write, o.Resources[3].Operations);
        Assert.Equal(Lwm2mResourceType.UnsignedInteger, o.Resources[3].Type);
    }

    [Fact]
    public void Missing_versions_default_to_1_0()
    {
        DdfLoadResult result = Load(DdfXml.Document(DdfXml.Object(versions: "")));

        ObjectDefinition o = Assert.Single(result.Objects);
        Assert.Equal(("1.0", "1.0"), (o.Version, o.Lwm2mVersion));
    }

    [Fact]
    public void Fields_are_trimmed_of_surrounding_whitespace()
    {
        string item = DdfXml.Item(5, "  Spaced name \n", "\n RW \n", " Multiple ", "Optional\t", " String ", "\n        ", "\n   m  ");

        ObjectDefinition o = Assert.Single(Load(DdfXml.Document(DdfXml.Object(" 7 ", item))).Objects);

        Assert.Equal(7, o.Id);
        Assert.Equal(new ResourceDefinition(5, "Spaced name", Lwm2mOperations.ReadWrite, true, false, Lwm2mResourceType.String, "", "m", "d"), o.Resources[5]);
    }

    [Fact]
    public void Several_objects_in_one_document_are_all_read()
    {
        DdfLoadResult result = Load(DdfXml.Document(DdfXml.Object("1000") + DdfXml.Object("1001")));

        Assert.Equal([1000, 1001], result.Objects.Select(o => o.Id));
    }

    [Fact]
    public void A_stream_with_a_byte_order_mark_loads()
    {
        byte[] bytes = [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(DdfXml.Document())];

        DdfLoadResult result = DdfObjectLoader.Default.Load(new MemoryStream(bytes), "bom.xml");

        Assert.True(result.IsSuccess, result.Error?.ToString());
    }

    [Fact]
    public void A_string_with_a_byte_order_mark_character_loads()
    {
        Assert.True(Load("\uFEFF" + DdfXml.Document()).IsSuccess);
    }

    [Fact]
    public void Malformed_xml_is_reported_with_source_and_line()
    {
        string xml = DdfXml.Document().Replace("</Resources>", "</Resourcs>", StringComparison.Ordinal);

        DdfLoadResult result = Load(xml);

        Assert.False(result.IsSuccess);
        Assert.Empty(result.Objects);
        DdfLoadError error = result.Error!;
        Assert.Equal("test.xml", error.Source);
        int expectedLine = xml.Split('\n').ToList().FindIndex(l => l.Contains("</Resourcs>", StringComparison.Ordinal)) + 1;
        Assert.Equal(expectedLine, error.Line);
        Assert.Contains("Not well-formed", error.Message, StringComparison.Ordinal);
        Assert.StartsWith($"test.xml({expectedLine},", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not xml at all")]
    [InlineData("<LWM2M>")]
    [InlineData("<LWM2M><Object></LWM2M>")]
    public void Broken_documents_give_errors_not_exceptions(string xml)
    {
        DdfLoadResult result = Load(xml);

        Assert.False(result.IsSuccess);
        Assert.NotEmpty(result.Error!.Message);
    }

    [Fact]
    public void A_document_without_an_object_element_is_an_error()
    {
        DdfLoadResult result = Load("<?xml version=\"1.0\"?>\n<LWM2M>\n</LWM2M>");

        Assert.Equal(2, result.Error!.Line);
        Assert.Contains("no <Object>", result.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_root_other_than_lwm2m_is_an_error()
    {
        DdfLoadResult result = Load("<Objects><Object/></Objects>");

        Assert.Contains("<Objects>", result.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_type_is_an_error_naming_the_resource_and_line()
    {
        string xml = DdfXml.Document(DdfXml.Object(items: DdfXml.Item(3, type: "Double")));

        DdfLoadResult result = Load(xml);

        Assert.Contains("Resource 3", result.Error!.Message, StringComparison.Ordinal);
        Assert.Contains("'Double'", result.Error.Message, StringComparison.Ordinal);
        int expectedLine = xml.Split('\n').ToList().FindIndex(l => l.Contains("<Type>Double", StringComparison.Ordinal)) + 1;
        Assert.Equal(expectedLine, result.Error.Line);
    }

    [Theory]
    [InlineData("RWE")]
    [InlineData("r")]
    [InlineData("Read")]
    public void Unknown_operations_are_errors(string operations)
    {
        Assert.Contains("<Operations>", Load(DdfXml.Document(DdfXml.Object(items: DdfXml.Item(operations: operations)))).Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_multiplicity_and_mandatory_values_are_errors()
    {
        Assert.Contains("<MultipleInstances>", Load(DdfXml.Document(DdfXml.Object(multiple: "Many"))).Error!.Message, StringComparison.Ordinal);
        Assert.Contains("<Mandatory>", Load(DdfXml.Document(DdfXml.Object(items: DdfXml.Item(mandatory: "Yes")))).Error!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("-1")]
    [InlineData("+3")]
    [InlineData("3.0")]
    [InlineData("")]
    [InlineData("123456")]
    public void A_non_numeric_object_id_is_an_error(string id)
    {
        Assert.Contains("ObjectID", Load(DdfXml.Document(DdfXml.Object(id))).Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Object_id_65535_is_reserved_and_65534_is_accepted()
    {
        Assert.Contains("65535 is reserved", Load(DdfXml.Document(DdfXml.Object("65535"))).Error!.Message, StringComparison.Ordinal);
        Assert.Equal(65534, Load(DdfXml.Document(DdfXml.Object("65534"))).Objects.Single().Id);
    }

    [Theory]
    [InlineData("x")]
    [InlineData("65535")]
    public void A_bad_item_id_is_an_error(string id)
    {
        string xml = DdfXml.Document(DdfXml.Object(items: DdfXml.Item().Replace("ID=\"0\"", $"ID=\"{id}\"", StringComparison.Ordinal)));

        Assert.Contains("Item ID", Load(xml).Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_resource_and_object_ids_are_errors()
    {
        Assert.Contains("resource 4 twice", Load(DdfXml.Document(DdfXml.Object(items: DdfXml.Item(4) + DdfXml.Item(4)))).Error!.Message, StringComparison.Ordinal);
        Assert.Contains("defined twice", Load(DdfXml.Document(DdfXml.Object("9") + DdfXml.Object("9"))).Error!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<Name>Test Object</Name>", "", "<Name>")]
    [InlineData("<ObjectURN>urn:oma:lwm2m:x:42000</ObjectURN>", "", "<ObjectURN>")]
    [InlineData("<MultipleInstances>Multiple</MultipleInstances>\n    <Mandatory>", "<Mandatory>", "<MultipleInstances>")]
    public void Missing_required_object_fields_are_errors(string remove, string replacement, string named)
    {
        string xml = DdfXml.Document().Replace(remove, replacement, StringComparison.Ordinal);
        Assert.NotEqual(DdfXml.Document(), xml);

        Assert.Contains(named, Load(xml).Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_field_holding_elements_instead_of_text_is_an_error()
    {
        string xml = DdfXml.Document().Replace("<Name>Value</Name>", "<Name><b>Value</b></Name>", StringComparison.Ordinal);

        Assert.Contains("must hold text", Load(xml).Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_dtd_with_entity_expansion_is_refused()
    {
        const string billionLaughs = """
            <?xml version="1.0"?>
            <!DOCTYPE LWM2M [
              <!ENTITY a "aaaaaaaaaa">
              <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
              <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
              <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
            ]>
            <LWM2M><Object><Name>&d;</Name></Object></LWM2M>
            """;

        DdfLoadResult result = Load(billionLaughs);

        Assert.False(result.IsSuccess);
        Assert.Contains("DTD", result.Error!.Message, StringComparison.Ordinal);
        Assert.Contains("<!DOCTYPE>", result.Error.Message, StringComparison.Ordinal);
        Assert.Equal("test.xml", result.Error.Source);
    }

    [Fact]
    public void An_external_entity_is_never_fetched()
    {
        string secret = Path.GetTempFileName();
        try
        {
            File.WriteAllText(secret, "leaked");
            string xml = $"""<?xml version="1.0"?><!DOCTYPE LWM2M [<!ENTITY x SYSTEM "file://{secret}">]><LWM2M><Object><Name>&x;</Name></Object></LWM2M>""";

            DdfLoadResult result = Load(xml);

            Assert.False(result.IsSuccess);
            Assert.DoesNotContain("leaked", result.Error!.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(secret);
        }
    }

    [Fact]
    public void A_document_over_the_size_limit_is_refused()
    {
        var loader = new DdfObjectLoader(new DdfLoaderOptions { MaxDocumentCharacters = 10_000 });
        string padding = new string(' ', 20_000);
        string xml = DdfXml.Document().Replace("<Description2>", "<Description2>" + padding, StringComparison.Ordinal);

        DdfLoadResult result = loader.LoadString(xml, "big.xml");

        Assert.False(result.IsSuccess);
        Assert.Contains("MaxCharactersInDocument", result.Error!.Message, StringComparison.Ordinal);
        Assert.True(loader.LoadString(DdfXml.Document(), "small.xml").IsSuccess);
    }

    [Fact]
    public void A_huge_stream_is_stopped_at_the_default_limit_without_reading_it_all()
    {
        var stream = new EndlessXmlStream();

        DdfLoadResult result = DdfObjectLoader.Default.Load(stream, "endless.xml");

        Assert.False(result.IsSuccess);
        Assert.InRange(stream.Served, DdfLoaderOptions.DefaultMaxDocumentCharacters, 2 * DdfLoaderOptions.DefaultMaxDocumentCharacters);
    }

    [Fact]
    public void Nesting_deeper_than_the_limit_is_refused()
    {
        string deep = string.Concat(Enumerable.Repeat("<x>", 100)) + string.Concat(Enumerable.Repeat("</x>", 100));
        string xml = DdfXml.Document().Replace("<Description2></Description2>", "<Description2></Description2>" + deep, StringComparison.Ordinal);

        DdfLoadResult result = Load(xml);

        Assert.Contains("deeper than 32", result.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_utf8_bytes_are_an_error()
    {
        byte[] good = Encoding.UTF8.GetBytes(DdfXml.Document());
        int at = Array.IndexOf(good, (byte)'T');
        good[at] = 0xFF;

        DdfLoadResult result = DdfObjectLoader.Default.Load(new MemoryStream(good), "bad-utf8.xml");

        Assert.False(result.IsSuccess);
    }

    [Fact]
    public void A_missing_file_or_directory_is_an_error_not_an_exception()
    {
        string nowhere = Path.Combine(Path.GetTempPath(), "tern-no-such-dir-" + Guid.NewGuid().ToString("N"));

        Assert.Contains("Cannot open", DdfObjectLoader.Default.LoadFile(Path.Combine(nowhere, "3.xml")).Error!.Message, StringComparison.Ordinal);
        DdfDirectoryLoadResult dir = DdfObjectLoader.Default.LoadDirectory(nowhere);
        Assert.False(dir.IsSuccess);
        Assert.Contains("Cannot read the directory", Assert.Single(dir.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_directory_load_reports_each_bad_file_and_keeps_the_good_ones()
    {
        string dir = Directory.CreateTempSubdirectory("tern-ddf-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "a.xml"), DdfXml.Document(DdfXml.Object("100")));
            File.WriteAllText(Path.Combine(dir, "b.xml"), "<LWM2M>");
            File.WriteAllText(Path.Combine(dir, "c.xml"), DdfXml.Document(DdfXml.Object("101")));
            File.WriteAllText(Path.Combine(dir, "ignored.txt"), "not xml");

            DdfDirectoryLoadResult result = DdfObjectLoader.Default.LoadDirectory(dir);

            Assert.Equal(3, result.Files.Count);
            Assert.Equal([100, 101], result.Objects.Select(o => o.Id));
            Assert.EndsWith("b.xml", Assert.Single(result.Errors).Source, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Options_below_what_a_ddf_needs_are_rejected_at_construction()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new DdfObjectLoader(new DdfLoaderOptions { MaxDepth = 3 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DdfObjectLoader(new DdfLoaderOptions { MaxDocumentCharacters = 0 }));
    }

    [Fact]
    public void Random_corruptions_of_a_valid_document_never_throw()
    {
        byte[] original = Encoding.UTF8.GetBytes(DdfXml.Document(DdfXml.Object("5", DdfXml.Item(0) + DdfXml.Item(1, type: "Time"))));
        var random = new Random(1234);
        for (int n = 0; n < 2000; n++)
        {
            byte[] bytes = (byte[])original.Clone();
            int edits = random.Next(1, 6);
            for (int e = 0; e < edits; e++)
            {
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            }

            int length = random.Next(2) == 0 ? bytes.Length : random.Next(bytes.Length);
            DdfLoadResult result = DdfObjectLoader.Default.Load(new MemoryStream(bytes, 0, length), "fuzz.xml");

            Assert.True(result.IsSuccess || result.Error!.Message.Length > 0);
        }
    }

    /// <summary>An endless stream of XML that never closes its element; counts the bytes served.</summary>
    private sealed class EndlessXmlStream : Stream
    {
        private static readonly byte[] Head = Encoding.UTF8.GetBytes("<LWM2M><Object><Name>");

        public long Served { get; private set; }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => Served; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            for (int i = 0; i < count; i++)
            {
                buffer[offset + i] = Served + i < Head.Length ? Head[Served + i] : (byte)'a';
            }

            Served += count;
            return count;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
