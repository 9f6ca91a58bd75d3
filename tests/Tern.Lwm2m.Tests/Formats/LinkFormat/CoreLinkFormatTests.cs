using System.Buffers;
using System.Text;
using Tern.Lwm2m.Formats;
using Tern.Lwm2m.Formats.LinkFormat;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Tests.Formats.LinkFormat;

public class CoreLinkFormatTests
{
    private static IReadOnlyList<CoreLink> Parse(string text)
    {
        Lwm2mCodecResult<IReadOnlyList<CoreLink>> result = CoreLinkFormat.Parse(text);
        Assert.True(result.IsSuccess, result.Error?.ToString());
        return result.Value!;
    }

    [Fact]
    public void Register_payload_parses_into_links_and_formats_back_identically()
    {
        const string Register = """</>;rt="oma.lwm2m";ct=110,</1/0>,</3>;ver=1.1,</3/0>""";
        IReadOnlyList<CoreLink> links = Parse(Register);
        Assert.Equal(["/", "/1/0", "/3", "/3/0"], links.Select(l => l.Target));
        Assert.Equal("oma.lwm2m", links[0]["rt"]);
        Assert.Equal([(ushort)110], links[0].ContentFormats);
        Assert.Equal("1.1", links[2]["ver"]);
        Assert.Empty(links[3].Parameters);
        Assert.Equal(Register, CoreLinkFormat.Format(links));
    }

    [Fact]
    public void Discover_payload_yields_LwM2M_attributes_per_link()
    {
        IReadOnlyList<CoreLink> links = Parse("</3/0>;pmin=10,</3/0/1>,</3/0/7>;dim=3;gt=50");
        Assert.Equal(10, Lwm2mAttributes.FromLink(links[0]).Value!.MinimumPeriod);
        Lwm2mAttributes voltage = Lwm2mAttributes.FromLink(links[2]).Value!;
        Assert.Equal(3, voltage.Dimension);
        Assert.Equal(50.0, voltage.GreaterThan);
        Assert.True(Lwm2mAttributes.FromLink(links[1]).Value!.IsEmpty);
    }

    [Fact]
    public void Bootstrap_discover_payload_carries_ssid_and_quoted_uri()
    {
        IReadOnlyList<CoreLink> links = Parse("""</>;lwm2m=1.1,</0/0>;uri="coap://bs.example.com:5683",</0/1>;ssid=101;uri="coaps://server.example.com",</1/0>;ssid=101""");
        Lwm2mAttributes server = Lwm2mAttributes.FromLink(links[2]).Value!;
        Assert.Equal(101, server.ShortServerId);
        Assert.Equal("coaps://server.example.com", server.Uri);
        Assert.Equal("1.1", links[0]["lwm2m"]);
        Assert.Equal("</0/1>;ssid=101;uri=\"coaps://server.example.com\"", CoreLinkFormat.Format([new CoreLink("/0/1", server.ToLinkParameters())]));
    }

    [Fact]
    public void Quoted_values_unescape_and_are_escaped_again_when_written()
    {
        IReadOnlyList<CoreLink> links = Parse("<a>;title=\"say \\\"hi\\\" \\\\ ok\";x=\"semi;comma,\"");
        Assert.Equal("say \"hi\" \\ ok", links[0]["title"]);
        Assert.Equal("semi;comma,", links[0]["x"]);
        Assert.Equal(links, Parse(CoreLinkFormat.Format(links)));
    }

    [Fact]
    public void Several_content_formats_and_bare_parameters_are_understood()
    {
        CoreLink link = Parse("""</3/0/1>;ct="60 110 11542";obs""")[0];
        Assert.Equal(new ushort[] { 60, 110, 11542 }, link.ContentFormats);
        Assert.True(link.Has("obs"));
        Assert.Null(link["obs"]);
        Assert.False(link.Has("rt"));
    }

    [Fact]
    public void Whitespace_after_commas_and_an_empty_payload_are_accepted()
    {
        Assert.Equal(["/1/0", "/3/0"], Parse("</1/0>,\r\n </3/0>").Select(l => l.Target));
        Assert.Empty(Parse(""));
    }

    [Theory]
    [InlineData("</3/0", Lwm2mCodecErrorKind.Truncated, 5)]
    [InlineData("/3/0>", Lwm2mCodecErrorKind.Malformed, 0)]
    [InlineData("</3/0>;", Lwm2mCodecErrorKind.Truncated, 7)]
    [InlineData("</3/0>;=5", Lwm2mCodecErrorKind.Malformed, 7)]
    [InlineData("</3/0>;ct=", Lwm2mCodecErrorKind.Truncated, 10)]
    [InlineData("</3/0>;ct=,</1>", Lwm2mCodecErrorKind.Malformed, 10)]
    [InlineData("</3/0>;rt=\"abc", Lwm2mCodecErrorKind.Truncated, 10)]
    [InlineData("</3/0>x", Lwm2mCodecErrorKind.Malformed, 6)]
    [InlineData("</3/0>,", Lwm2mCodecErrorKind.Truncated, 7)]
    [InlineData("</3 0>", Lwm2mCodecErrorKind.Malformed, 3)]
    [InlineData("</3<0>", Lwm2mCodecErrorKind.Malformed, 3)]
    [InlineData("</3/0>;a=b c", Lwm2mCodecErrorKind.Malformed, 11)]
    public void Bad_link_format_is_a_typed_error_at_the_offending_character(string text, Lwm2mCodecErrorKind kind, int offset)
    {
        Lwm2mCodecResult<IReadOnlyList<CoreLink>> result = CoreLinkFormat.Parse(text);
        Assert.False(result.IsSuccess);
        Assert.Equal(kind, result.Error!.Kind);
        Assert.Equal(offset, result.Error.Offset);
    }

    [Fact]
    public void Link_and_parameter_counts_are_capped()
    {
        string many = string.Join(',', Enumerable.Range(0, 5000).Select(k => $"</{k}>"));
        Assert.Equal(Lwm2mCodecErrorKind.TooLarge, CoreLinkFormat.Parse(many).Error!.Kind);
        Assert.True(CoreLinkFormat.Parse(many, new CoreLinkLimits(MaxLinks: 5000)).IsSuccess);
        string wide = "</3>" + string.Concat(Enumerable.Range(0, 33).Select(k => $";a{k}=1"));
        Lwm2mCodecResult<IReadOnlyList<CoreLink>> result = CoreLinkFormat.Parse(wide);
        Assert.Equal(Lwm2mCodecErrorKind.TooLarge, result.Error!.Kind);
        Assert.Equal(4 + (32 * 5) + (22 * 1) + 1, result.Error.Offset);
    }

    [Fact]
    public void Random_links_round_trip_through_text()
    {
        var rng = new Random(6690);
        const string NameChars = "abcdefghijklmnopqrstuvwxyz0123456789!#$&+-.^_`|~";
        const string ValueChars = "abz09./:-_\"\\;, =<>?é";
        for (int n = 0; n < 2000; n++)
        {
            var links = new List<CoreLink>();
            for (int k = rng.Next(1, 5); k > 0; k--)
            {
                var parameters = new List<CoreLinkParameter>();
                for (int p = rng.Next(0, 4); p > 0; p--)
                {
                    string name = new([.. Enumerable.Range(0, rng.Next(1, 5)).Select(_ => NameChars[rng.Next(NameChars.Length)])]);
                    string? value = rng.Next(4) == 0 ? null : new string([.. Enumerable.Range(0, rng.Next(0, 6)).Select(_ => ValueChars[rng.Next(ValueChars.Length)])]);
                    bool token = value is { Length: > 0 } && value.All(c => c is > ' ' and < (char)0x7F and not ('"' or ',' or ';' or '\\'));
                    parameters.Add(new CoreLinkParameter(name, value, Quoted: value is not null && (!token || rng.Next(2) == 0)));
                }

                links.Add(new CoreLink(new Lwm2mPath(rng.Next(5), rng.Next(3)).ToString(), parameters));
            }

            string text = CoreLinkFormat.Format(links);
            Assert.Equal(links, Parse(text));
        }
    }

    [Fact]
    public void Random_bytes_never_throw()
    {
        var rng = new Random(40);
        byte[] alphabet = "<>;,=\"\\/ 0123abc\n"u8.ToArray();
        for (int n = 0; n < 20000; n++)
        {
            byte[] input = [.. Enumerable.Range(0, rng.Next(0, 30)).Select(_ => rng.Next(5) == 0 ? (byte)rng.Next(256) : alphabet[rng.Next(alphabet.Length)])];
            Lwm2mCodecResult<IReadOnlyList<CoreLink>> result = CoreLinkFormat.Parse(input);
            if (!result.IsSuccess)
            {
                Assert.InRange(result.Error!.Offset, 0, input.Length);
            }
        }
    }

    [Fact]
    public void The_link_format_codec_refuses_values_and_parses_links()
    {
        var codec = new LinkFormatCodec();
        Assert.Equal(Lwm2mCodecErrorKind.Unsupported, codec.EncodeNode(new Lwm2mPath(3, 0), DeviceExample.Instance, new ArrayBufferWriter<byte>())!.Kind);
        Assert.Equal(Lwm2mCodecErrorKind.Unsupported, codec.DecodeNode("</3/0>"u8, new Lwm2mPath(3, 0), TestModel.Instance).Error!.Kind);
        Assert.Equal("/3/0", codec.Parse(Encoding.UTF8.GetBytes("</3/0>")).Value![0].Target);
    }
}
