using Tern.Cli.Payload;
using Tern.Lwm2m.Definitions;
using Tern.Lwm2m.Formats;
using Tern.Lwm2m.Model;

namespace Tern.Cli.Tests.Payload;

public sealed class PayloadConverterTests
{
    private static readonly IObjectDefinitionProvider Model = new ObjectDefinitionRegistry();
    private static readonly Lwm2mPath Device = new(3, 0);

    [Fact]
    public void Tlv_of_the_device_instance_converts_to_the_senml_json_the_TS_prints()
    {
        Assert.Equal(DeviceExamples.SenmlJson, Output(DeviceExamples.TlvHex, "tlv", "senml-json", Device));
    }

    [Fact]
    public void Tlv_of_the_device_instance_converts_to_the_oma_json_the_TS_prints()
    {
        Assert.Equal(DeviceExamples.OmaJson, Output(DeviceExamples.TlvHex, "tlv", "json", Device));
    }

    [Fact]
    public void Senml_json_of_the_TS_converts_to_its_tlv_without_a_path()
    {
        // The records name their own paths; the TLV is written for the instance they share.
        Assert.Equal(DeviceExamples.TlvHex, Output(DeviceExamples.SenmlJson, "senml-json", "tlv", path: null));
    }

    [Fact]
    public void Oma_json_of_the_TS_converts_to_its_tlv_at_the_instance_path()
    {
        Assert.Equal(DeviceExamples.TlvHex, Output(DeviceExamples.OmaJson, "json", "tlv", Device));
    }

    [Theory]
    [InlineData("senml-cbor")]
    [InlineData("lwm2m-cbor")]
    [InlineData("senml-json")]
    [InlineData("json")]
    public void Device_instance_survives_tlv_to_a_format_and_back(string format)
    {
        string middle = Output(DeviceExamples.TlvHex, "tlv", format, Device);
        Assert.Equal(DeviceExamples.TlvHex, Output(middle, format, "tlv", Device));
    }

    [Theory]
    [InlineData("senml-cbor", "lwm2m-cbor")]
    [InlineData("lwm2m-cbor", "senml-json")]
    [InlineData("senml-cbor", "json")]
    [InlineData("json", "lwm2m-cbor")]
    public void Device_instance_converts_between_record_formats_with_no_path(string from, string to)
    {
        string start = Output(DeviceExamples.TlvHex, "tlv", from, Device);
        string converted = Output(start, from, to, path: null);
        Assert.Equal(DeviceExamples.TlvHex, Output(converted, to, "tlv", Device));
    }

    [Theory]
    [InlineData("Open Mobile Alliance", "text", "cbor", "/3/0/0", "744f70656e204d6f62696c6520416c6c69616e6365")] // RFC 8949: major type 3, length 20
    [InlineData("Open Mobile Alliance", "text", "tlv", "/3/0/0", "c800144f70656e204d6f62696c6520416c6c69616e6365")] // the TS's first TLV line
    [InlineData("100", "text", "tlv", "/3/0/9", "c10964")]
    [InlineData("100", "text", "cbor", "/3/0/9", "1864")] // RFC 8949: 0x18 then one byte
    [InlineData("1864", "cbor", "text", "/3/0/9", "100")]
    [InlineData("c10964", "tlv", "text", "/3/0/9", "100")]
    [InlineData("0102ff", "opaque", "cbor", "/5/0/0", "430102ff")] // a byte string of three bytes
    [InlineData("430102ff", "cbor", "opaque", "/5/0/0", "0102ff")]
    public void Single_resource_converts_between_value_formats(string input, string from, string to, string path, string expected)
    {
        Assert.Equal(expected, Output(input, from, to, Lwm2mPath.Parse(path)));
    }

    [Fact]
    public void Hex_input_may_carry_spaces_colons_and_a_0x_prefix()
    {
        Assert.Equal("100", Output("0xC1 09:64\n", "tlv", "text", new Lwm2mPath(3, 0, 9)));
    }

    [Theory]
    [InlineData("tlv")]
    [InlineData("text")]
    [InlineData("opaque")]
    [InlineData("cbor")]
    public void Formats_without_paths_need_the_path_option(string from)
    {
        string error = Error(from == "text" ? "100" : "c10964", from, "senml-json", path: null);
        Assert.Equal($"{from} does not carry paths: give the request path with --path, e.g. --path /3/0", error);
    }

    [Fact]
    public void Records_spanning_several_objects_cannot_become_one_tlv_payload()
    {
        string error = Error("""[{"n":"/3/0/9","v":1},{"n":"/4/0/0","v":2}]""", "senml-json", "tlv", path: null);
        Assert.Contains("span several objects", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_non_hex_character_is_reported_with_its_position()
    {
        Assert.Equal("tlv is read as hex, and character 4 ('z') is not a hex digit", Error("c10z64", "tlv", "text", new Lwm2mPath(3, 0, 9)));
    }

    [Fact]
    public void An_odd_number_of_hex_digits_is_reported()
    {
        Assert.Equal("tlv is read as hex, and the input has an odd number of hex digits (5)", Error("c1096", "tlv", "text", new Lwm2mPath(3, 0, 9)));
    }

    [Fact]
    public void Truncated_tlv_is_reported_with_the_byte_offset()
    {
        // Drop the last byte: the final TLV (c1 10 55, at byte 118 of 121) loses its value.
        string error = Error(DeviceExamples.TlvHex[..^2], "tlv", "senml-json", Device);
        Assert.StartsWith("cannot read tlv at byte 118: ", error, StringComparison.Ordinal);
        Assert.EndsWith("(Truncated)", error, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error);
    }

    [Fact]
    public void A_value_that_does_not_fit_the_resource_type_is_an_error_not_an_exception()
    {
        string error = Error("hello", "text", "tlv", new Lwm2mPath(3, 0, 9));
        Assert.StartsWith("cannot read text", error, StringComparison.Ordinal);
    }

    private static PayloadConversion Convert(string input, string from, string to, Lwm2mPath? path)
    {
        Assert.True(Lwm2mContentFormatRegistry.Default.TryGet(from, out ILwm2mContentCodec? fromCodec));
        Assert.True(Lwm2mContentFormatRegistry.Default.TryGet(to, out ILwm2mContentCodec? toCodec));
        return PayloadConverter.Convert(input, fromCodec, toCodec, path, Model);
    }

    private static string Output(string input, string from, string to, Lwm2mPath? path)
    {
        PayloadConversion result = Convert(input, from, to, path);
        Assert.Null(result.Error);
        return result.Output!;
    }

    private static string Error(string input, string from, string to, Lwm2mPath? path)
    {
        PayloadConversion result = Convert(input, from, to, path);
        Assert.Null(result.Output);
        return result.Error!;
    }
}
