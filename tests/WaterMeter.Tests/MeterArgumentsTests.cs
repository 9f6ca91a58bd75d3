namespace WaterMeter.Tests;

public sealed class MeterArgumentsTests
{
    [Fact]
    public void No_arguments_run_the_scenario_with_the_default_chart_file()
    {
        (MeterArguments? parsed, string? error) = MeterArguments.Parse([]);

        Assert.Null(error);
        Assert.True(parsed!.IsScenario);
        Assert.Equal("water-meter-msc.md", parsed.ChartPath);
    }

    [Fact]
    public void Msc_names_another_chart_file()
    {
        Assert.Equal("out/chart.mmd", MeterArguments.Parse(["--msc", "out/chart.mmd"]).Arguments!.ChartPath);
    }

    [Fact]
    public void Server_endpoint_and_bootstrap_run_the_real_meter_without_a_chart_unless_asked()
    {
        MeterArguments parsed = MeterArguments.Parse(["--server", "coap://leshan.eclipseprojects.io:5783", "--endpoint", "meter-7", "--bootstrap"]).Arguments!;

        Assert.False(parsed.IsScenario);
        Assert.Equal("coap://leshan.eclipseprojects.io:5783", parsed.ServerUri);
        Assert.Equal("meter-7", parsed.Endpoint);
        Assert.True(parsed.Bootstrap);
        Assert.Null(parsed.ChartPath);
    }

    [Theory]
    [InlineData("unknown argument '--verbose'", "--verbose")]
    [InlineData("unknown argument 'coap://x'", "coap://x")]
    [InlineData("--server needs a value", "--server")]
    [InlineData("--msc needs a value", "--msc", "--server", "coap://a")]
    [InlineData("--endpoint and --bootstrap go with --server", "--endpoint", "e1")]
    [InlineData("--endpoint and --bootstrap go with --server", "--bootstrap")]
    [InlineData("--server 'http://example.org' is not a coap:// URI", "--server", "http://example.org")]
    [InlineData("--server 'coaps://example.org' is not a coap:// URI", "--server", "coaps://example.org")]
    [InlineData("--server 'leshan' is not a coap:// URI", "--server", "leshan")]
    [InlineData("--endpoint must not be empty", "--server", "coap://a", "--endpoint", " ")]
    [InlineData("--server is given twice", "--server", "coap://a", "--server", "coap://b")]
    public void Bad_command_lines_get_one_line_saying_what_is_wrong(string expected, params string[] args)
    {
        (MeterArguments? parsed, string? error) = MeterArguments.Parse(args);

        Assert.Null(parsed);
        Assert.StartsWith(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_program_answers_a_bad_command_line_with_exit_code_2_and_the_usage()
    {
        var output = new StringWriter();
        var error = new StringWriter();

        int code = await MeterProgram.RunAsync(["--server", "ftp://x"], output, error);

        Assert.Equal(2, code);
        Assert.Empty(output.ToString());
        Assert.StartsWith("WaterMeter: --server 'ftp://x' is not a coap:// URI", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("usage: WaterMeter", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_prints_the_usage_and_exits_0()
    {
        var output = new StringWriter();
        Assert.Equal(0, await MeterProgram.RunAsync(["--help"], output, new StringWriter()));
        Assert.Contains("--server coap://HOST[:PORT]", output.ToString(), StringComparison.Ordinal);
    }
}
