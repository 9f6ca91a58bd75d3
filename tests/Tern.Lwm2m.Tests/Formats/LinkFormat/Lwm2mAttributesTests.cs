using Tern.Lwm2m.Formats;
using Tern.Lwm2m.Formats.LinkFormat;

namespace Tern.Lwm2m.Tests.Formats.LinkFormat;

public class Lwm2mAttributesTests
{
    [Fact]
    public void Write_attributes_query_options_parse_into_typed_attributes()
    {
        Lwm2mAttributes a = Lwm2mAttributes.ParseQuery(["pmin=10", "pmax=60", "gt=50.5", "lt=10", "st=2", "epmin=1", "epmax=5", "edge=1", "con=0", "hqmax=4"]).Value!;
        Assert.Equal((10L, 60L, 50.5, 10.0, 2.0), (a.MinimumPeriod, a.MaximumPeriod, a.GreaterThan, a.LessThan, a.Step));
        Assert.Equal((1L, 5L, true, false, 4L), (a.EvaluationMinimumPeriod, a.EvaluationMaximumPeriod, a.Edge, a.Confirmable, a.HistoricalQueueMax));
        Assert.Equal("pmin=10&pmax=60&gt=50.5&lt=10&st=2&epmin=1&epmax=5&edge=1&con=0&hqmax=4", a.ToString());
    }

    [Fact]
    public void A_name_without_value_unsets_the_attribute_when_applied()
    {
        Lwm2mAttributes current = Lwm2mAttributes.ParseQuery("pmin=10&pmax=60&gt=5").Value!;
        Lwm2mAttributes update = Lwm2mAttributes.ParseQuery("pmax=120&pmin").Value!;
        Assert.Equal(["pmin"], update.Unset);
        Assert.Equal("pmax=120&gt=5", current.Apply(update).ToString());
    }

    [Fact]
    public void Attributes_write_as_link_parameters_for_discover()
    {
        var a = new Lwm2mAttributes { MinimumPeriod = 10, Dimension = 3, GreaterThan = 50 };
        Assert.Equal("</3/0/7>;pmin=10;gt=50;dim=3", CoreLinkFormat.Format([new CoreLink("/3/0/7", a.ToLinkParameters())]));
    }

    [Theory]
    [InlineData("foo=1", 0)]
    [InlineData("pmin=10&pmax=x", 8)]
    [InlineData("pmin=1&pmin=2", 7)]
    [InlineData("edge=2", 0)]
    [InlineData("gt=NaN", 0)]
    [InlineData("ver=1", 0)]
    [InlineData("lt=50&gt=10", -1)]
    [InlineData("lt=10&gt=10", -1)]
    [InlineData("lt=10&gt=20&st=5", -1)]
    [InlineData("st=-1", -1)]
    [InlineData("pmin=-5", -1)]
    [InlineData("ssid=0", -1)]
    [InlineData("ssid=65535", -1)]
    public void Invalid_attributes_are_refused(string query, int offset)
    {
        Lwm2mCodecResult<Lwm2mAttributes> result = Lwm2mAttributes.ParseQuery(query);
        Assert.False(result.IsSuccess);
        Assert.Equal(Lwm2mCodecErrorKind.Malformed, result.Error!.Kind);
        Assert.Equal(offset, result.Error.Offset);
    }

    [Theory]
    [InlineData("lt=10&gt=20&st=4.9")]
    [InlineData("pmin=60&pmax=10")]
    [InlineData("ver=1.1&ssid=65534&uri=coap://x")]
    public void Valid_attribute_combinations_are_accepted(string query)
    {
        Assert.True(Lwm2mAttributes.ParseQuery(query).IsSuccess);
    }
}
