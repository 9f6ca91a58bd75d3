using Tern.Coap.Messages;
using Tern.Lwm2m.Formats;
using Tern.Lwm2m.Model;
using Tern.Lwm2m.Server.Rest.Http;

namespace Tern.Lwm2m.Server.Rest.Tests.Http;

public class RequestOptionsTests
{
    [Theory]
    [InlineData("3/0/9", "/3/0/9")]
    [InlineData("/3/0", "/3/0")]
    [InlineData("", "/")]
    public void Paths_parse_with_or_without_a_leading_slash(string text, string expected)
    {
        Assert.True(RequestOptions.TryParsePath(text, out Lwm2mPath path, out _));
        Assert.Equal(expected, path.ToString());
    }

    [Theory]
    [InlineData("3/x")]
    [InlineData("3/0/9/1/2")]
    [InlineData("65535")]
    public void Bad_paths_are_refused_with_the_expected_shape(string text)
    {
        Assert.False(RequestOptions.TryParsePath(text, out _, out string error));
        Assert.Contains("is not an LwM2M path", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tlv", Lwm2mContentFormat.Tlv)]
    [InlineData("senml-json", Lwm2mContentFormat.SenmlJson)]
    [InlineData("112", Lwm2mContentFormat.SenmlCbor)]
    public void Formats_are_named_or_numbered(string text, ushort expected)
    {
        Assert.True(RequestOptions.TryParseFormat(text, Lwm2mContentFormatRegistry.Default, out ushort? format, out _));
        Assert.Equal(expected, format);
    }

    [Fact]
    public void Unknown_format_names_list_the_known_ones()
    {
        Assert.False(RequestOptions.TryParseFormat("xml", Lwm2mContentFormatRegistry.Default, out _, out string error));
        Assert.Contains("'xml' is not a content format", error, StringComparison.Ordinal);
        Assert.Contains("tlv", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("601")]
    [InlineData("soon")]
    public void Timeouts_outside_the_allowed_range_are_refused(string text)
    {
        Assert.False(RequestOptions.TryParseTimeout(text, out _, out string error));
        Assert.Contains("is not a timeout", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Timeout_is_read_in_seconds()
    {
        Assert.True(RequestOptions.TryParseTimeout("2.5", out TimeSpan? timeout, out _));
        Assert.Equal(TimeSpan.FromMilliseconds(2500), timeout);
    }

    [Theory]
    [InlineData(4, 4, 404)]
    [InlineData(4, 5, 405)]
    [InlineData(4, 6, 406)]
    [InlineData(4, 15, 415)]
    [InlineData(4, 0, 400)]
    [InlineData(4, 8, 400)]
    [InlineData(5, 0, 502)]
    [InlineData(5, 3, 502)]
    public void Client_error_codes_map_onto_http_statuses(int codeClass, int detail, int expected)
    {
        Assert.Equal(expected, CoapStatusMapping.ToHttpStatus(new CoapCode(codeClass, detail)));
    }

    [Fact]
    public void Coap_codes_are_written_in_dotted_form()
    {
        Assert.Equal("4.04", CoapStatusMapping.Format(CoapCode.NotFound));
        Assert.Equal("5.00", CoapStatusMapping.Format(CoapCode.InternalServerError));
    }
}
