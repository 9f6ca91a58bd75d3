using Tern.Lwm2m.Client.Reporting;
using Tern.Lwm2m.Formats.LinkFormat;
using Tern.Lwm2m.Model;
using static Tern.Lwm2m.Client.Tests.Reporting.ReportingHarness;

namespace Tern.Lwm2m.Client.Tests.Reporting;

public class AttributeTests
{
    private static readonly Lwm2mPath Object = new(3303);
    private static readonly Lwm2mPath Instance = new(3303, 0);
    private static readonly Lwm2mPath TemperatureInstance1 = new(3303, 0, 5700, 1);

    [Theory]
    [InlineData("pmin=abc", "/3303/0/5700")]
    [InlineData("foo=1", "/3303/0/5700")]
    [InlineData("pmin=-1", "/3303/0/5700")]
    [InlineData("st=-0.5", "/3303/0/5700")]
    [InlineData("pmin=1&pmin=2", "/3303/0/5700")]
    [InlineData("lt=30&gt=20", "/3303/0/5700")]
    [InlineData("lt=20&gt=20", "/3303/0/5700")]
    [InlineData("lt=10&gt=20&st=5", "/3303/0/5700")]
    [InlineData("pmin=60&pmax=30", "/3303/0/5700")]
    [InlineData("epmin=20&epmax=10", "/3303/0/5700")]
    [InlineData("gt=5", "/3303/0/5701")]
    [InlineData("st=1", "/3303/0")]
    [InlineData("lt=1", "/3303")]
    [InlineData("edge=1", "/3303/0/5700")]
    [InlineData("edge=2", "/3303/0/5500")]
    [InlineData("con=yes", "/3303/0/5700")]
    [InlineData("gt=NaN", "/3303/0/5700")]
    [InlineData("gt=1e999", "/3303/0/5700")]
    [InlineData("dim=3", "/3303/0/5700")]
    [InlineData("ssid=1", "/3303/0")]
    [InlineData("pmin=1&&=&", "/3303/0")]
    public void Invalid_write_attributes_are_refused_with_4_00_and_change_nothing(string query, string path)
    {
        var h = new ReportingHarness();

        AttributeWriteResult result = h.Reporter.WriteAttributes(Ssid, Lwm2mPath.Parse(path), query.Split('&'));

        Assert.Equal(AttributeWriteStatus.BadRequest, result.Status);
        Assert.Equal("4.00", result.CoapCode);
        Assert.False(string.IsNullOrWhiteSpace(result.Error));
        Assert.Equal(0, h.Reporter.Attributes(Ssid).Count);
    }

    [Theory]
    [InlineData("/", AttributeWriteStatus.MethodNotAllowed, "4.05")]
    [InlineData("/3303/9", AttributeWriteStatus.NotFound, "4.04")]
    [InlineData("/3303/0/9999", AttributeWriteStatus.NotFound, "4.04")]
    [InlineData("/9", AttributeWriteStatus.NotFound, "4.04")]
    public void Write_attributes_on_a_path_that_cannot_hold_them_is_refused(string path, AttributeWriteStatus status, string code)
    {
        var h = new ReportingHarness();

        AttributeWriteResult result = h.Reporter.WriteAttributes(Ssid, Lwm2mPath.Parse(path), ["pmin=5"]);

        Assert.Equal(status, result.Status);
        Assert.Equal(code, result.CoapCode);
    }

    [Theory]
    [InlineData("lt=10&gt=30&st=5", "/3303/0/5700")]
    [InlineData("pmin=10&pmax=10", "/3303/0/5700")]
    [InlineData("epmin=5&epmax=5&edge=1&con=1&hqmax=4", "/3303/0/5500")]
    [InlineData("pmin=1", "/3303")]
    [InlineData("gt=-3.5e2", "/3303/0/5700/1")]
    public void Valid_write_attributes_are_kept(string query, string path)
    {
        var h = new ReportingHarness();

        AttributeWriteResult result = h.Reporter.WriteAttributes(Ssid, Lwm2mPath.Parse(path), query.Split('&'));

        Assert.True(result.IsSuccess, result.Error);
        Assert.Equal("2.04", result.CoapCode);
        Assert.NotNull(h.Reporter.Attributes(Ssid).Get(Lwm2mPath.Parse(path)));
    }

    [Fact]
    public void A_write_that_breaks_a_rule_with_the_attributes_already_there_is_refused_and_keeps_them()
    {
        var h = new ReportingHarness();
        h.Write("pmax=30&gt=50", Temperature);

        AttributeWriteResult pmin = h.Reporter.WriteAttributes(Ssid, Temperature, ["pmin=60"]);
        AttributeWriteResult lt = h.Reporter.WriteAttributes(Ssid, Temperature, ["lt=50"]);

        Assert.Equal(AttributeWriteStatus.BadRequest, pmin.Status);
        Assert.Equal(AttributeWriteStatus.BadRequest, lt.Status);
        Lwm2mAttributes kept = h.Reporter.Attributes(Ssid).Get(Temperature)!;
        Assert.Equal(30, kept.MaximumPeriod);
        Assert.Null(kept.MinimumPeriod);
        Assert.Null(kept.LessThan);
    }

    [Fact]
    public void A_name_without_value_removes_that_attribute()
    {
        var h = new ReportingHarness();
        h.Write("pmin=5&pmax=50", Temperature);

        h.Write("pmin", Temperature);

        Lwm2mAttributes kept = h.Reporter.Attributes(Ssid).Get(Temperature)!;
        Assert.Null(kept.MinimumPeriod);
        Assert.Equal(50, kept.MaximumPeriod);
    }

    [Fact]
    public void Inheritance_takes_the_most_specific_level_then_the_server_default()
    {
        var h = new ReportingHarness(new ReportingServerSettings(Ssid) { DefaultMinPeriod = TimeSpan.FromSeconds(5) });
        AttributeStore store = h.Reporter.Attributes(Ssid);
        var settings = new ReportingServerSettings(Ssid) { DefaultMinPeriod = TimeSpan.FromSeconds(5) };
        h.Write("pmin=40", Object);
        h.Write("pmin=30", Instance);
        h.Write("pmin=20", Temperature);
        h.Write("pmin=10", TemperatureInstance1);

        double Pmin() => store.Resolve(TemperatureInstance1, settings).MinPeriod.TotalSeconds;

        Assert.Equal(10, Pmin());
        h.Write("pmin", TemperatureInstance1);
        Assert.Equal(20, Pmin());
        h.Write("pmin", Temperature);
        Assert.Equal(30, Pmin());
        h.Write("pmin", Instance);
        Assert.Equal(40, Pmin());
        h.Write("pmin", Object);
        Assert.Equal(5, Pmin());
    }

    [Fact]
    public void Each_attribute_is_inherited_on_its_own()
    {
        var h = new ReportingHarness(new ReportingServerSettings(Ssid) { DefaultMaxPeriod = TimeSpan.FromSeconds(300) });
        h.Write("pmin=7&con=1", Object);
        h.Write("pmax=70", Instance);
        h.Write("gt=25", Temperature);

        NotificationAttributes a = h.Reporter.Attributes(Ssid).Resolve(Temperature, new ReportingServerSettings(Ssid));

        Assert.Equal(TimeSpan.FromSeconds(7), a.MinPeriod);
        Assert.Equal(TimeSpan.FromSeconds(70), a.MaxPeriod);
        Assert.Equal(25, a.GreaterThan);
        Assert.True(a.Confirmable);
        Assert.Null(a.LessThan);
    }

    [Fact]
    public void Attributes_written_after_the_observe_apply_to_it_at_once()
    {
        var h = new ReportingHarness();
        h.Observe(Temperature);
        h.RunUntil(10);

        h.Write("pmax=20", Instance);
        h.RunUntil(45);

        Assert.Equal([20.0, 40.0], h.NotifyTimes);
    }

    [Fact]
    public void Attributes_given_with_the_observe_come_before_the_written_ones()
    {
        var h = new ReportingHarness();
        h.Write("pmax=100", Temperature);
        ObserveResult result = h.Reporter.Observe(Ssid, Temperature, Token, null, h.Now, new Lwm2mAttributes { MaximumPeriod = 15 });
        Assert.Equal(ObserveStatus.Observing, result.Status);

        h.RunUntil(40);

        Assert.Equal([15.0, 30.0], h.NotifyTimes);
    }

    [Fact]
    public void Server_settings_changes_reach_existing_observations()
    {
        var h = new ReportingHarness();
        h.Observe(Temperature);
        h.RunUntil(10);

        h.Reporter.UpdateServer(new ReportingServerSettings(Ssid) { DefaultMaxPeriod = TimeSpan.FromSeconds(60) });
        h.RunUntil(130);

        Assert.Equal([60.0, 120.0], h.NotifyTimes);
    }

    [Fact]
    public void Attributes_are_kept_per_server()
    {
        var h = new ReportingHarness();
        h.Reporter.AddServer(new ReportingServerSettings(202));
        h.Write("pmax=20", Temperature);

        Assert.Null(h.Reporter.Attributes(202).Get(Temperature));
        Assert.Null(h.Reporter.Attributes(202).Resolve(Temperature, new ReportingServerSettings(202)).MaxPeriod);
    }
}
