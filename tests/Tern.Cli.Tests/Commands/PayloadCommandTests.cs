using System.CommandLine;

namespace Tern.Cli.Tests.Commands;

/// <summary>
/// <c>tern payload convert</c> run through the real command tree, with standard input, output and error
/// redirected per invocation (no global Console redirection, so these run in parallel safely).
/// </summary>
public sealed class PayloadCommandTests
{
    [Fact]
    public void Convert_reads_standard_input_and_writes_the_result_to_standard_output()
    {
        (int code, string output, string error) = Run(DeviceExamples.TlvHex + "\n", "payload", "convert", "--from", "tlv", "--to", "senml-json", "--path", "/3/0");
        Assert.Equal(0, code);
        Assert.Equal(DeviceExamples.SenmlJson + Environment.NewLine, output);
        Assert.Empty(error);
    }

    [Fact]
    public void A_dash_means_standard_input_and_content_format_numbers_work_as_names()
    {
        (int code, string output, _) = Run(DeviceExamples.SenmlJson, "payload", "convert", "--from", "110", "--to", "11542", "-");
        Assert.Equal(0, code);
        Assert.Equal(DeviceExamples.TlvHex + Environment.NewLine, output);
    }

    [Fact]
    public void The_payload_may_be_given_as_an_argument()
    {
        (int code, string output, _) = Run("", "payload", "convert", "--from", "text", "--to", "cbor", "--path", "/3/0/9", "100");
        Assert.Equal(0, code);
        Assert.Equal("1864" + Environment.NewLine, output);
    }

    [Fact]
    public void The_payload_may_be_read_from_a_file()
    {
        string file = Path.Combine(Path.GetTempPath(), $"tern-test-{Guid.NewGuid():N}.json");
        File.WriteAllText(file, DeviceExamples.OmaJson);
        try
        {
            (int code, string output, _) = Run("", "payload", "convert", "--from", "json", "--to", "tlv", "--path", "/3/0", "@" + file);
            Assert.Equal(0, code);
            Assert.Equal(DeviceExamples.TlvHex + Environment.NewLine, output);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void A_bad_payload_exits_with_1_and_one_line_on_standard_error()
    {
        (int code, string output, string error) = Run("c10z64", "payload", "convert", "--from", "tlv", "--to", "text", "--path", "/3/0/9");
        Assert.Equal(1, code);
        Assert.Empty(output);
        Assert.Equal("tern: tlv is read as hex, and character 4 ('z') is not a hex digit" + Environment.NewLine, error);
    }

    [Fact]
    public void A_truncated_tlv_names_the_byte_offset_on_standard_error()
    {
        (int code, _, string error) = Run(DeviceExamples.TlvHex[..^2], "payload", "convert", "--from", "tlv", "--to", "senml-cbor", "--path", "/3/0");
        Assert.Equal(1, code);
        Assert.StartsWith("tern: cannot read tlv at byte 118: ", error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd().Split('\n'));
    }

    [Theory]
    [InlineData("--from", "xml")]
    [InlineData("--to", "65000")]
    public void An_unknown_format_exits_with_2(string option, string name)
    {
        string[] args = option == "--from"
            ? ["payload", "convert", "--from", name, "--to", "tlv", "--path", "/3/0/9", "c10964"]
            : ["payload", "convert", "--from", "tlv", "--to", name, "--path", "/3/0/9", "c10964"];
        (int code, string output, string error) = Run("", args);
        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.StartsWith($"tern: {option} '{name}' is not a content format Tern knows; try one of: ", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/3/x")]
    [InlineData("/3/65535")]
    [InlineData("/3/0/1/2/3")]
    public void A_bad_path_exits_with_2(string path)
    {
        (int code, _, string error) = Run("", "payload", "convert", "--from", "tlv", "--to", "text", "--path", path, "c10964");
        Assert.Equal(2, code);
        Assert.Equal($"tern: --path '{path}' is not an LwM2M path like /3/0/1" + Environment.NewLine, error);
    }

    [Fact]
    public void A_missing_file_exits_with_2()
    {
        (int code, _, string error) = Run("", "payload", "convert", "--from", "tlv", "--to", "text", "--path", "/3/0/9", "@/nonexistent/tern.hex");
        Assert.Equal(2, code);
        Assert.Equal("tern: no such file: /nonexistent/tern.hex" + Environment.NewLine, error);
    }

    [Fact]
    public void A_missing_required_option_is_a_usage_error()
    {
        (int code, string output, string error) = Run("", "payload", "convert", "--to", "tlv");
        Assert.NotEqual(0, code);
        Assert.Contains("--from", error, StringComparison.Ordinal);
        Assert.DoesNotContain("tern:", output, StringComparison.Ordinal);
    }

    private static (int Code, string Output, string Error) Run(string standardInput, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = Program.Parse(args, () => new StringReader(standardInput)).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }
}
