using Tern.Coap.Endpoint;
using Tern.Coap.Messages;

namespace Tern.Lwm2m.Server.Registrations;

public class MalformedRegistrationTests
{
    public static TheoryData<string, string?, ushort?, int, string> Cases => new()
    {
        { "lt=60&lwm2m=1.1", "</3/0>", (ushort)40, 0x80, "ep" },
        { "ep=&lwm2m=1.1", "</3/0>", (ushort)40, 0x80, "ep" },
        { "ep=" + new string('x', 256), "</3/0>", (ushort)40, 0x80, "ep" },
        { "ep=dev&lt=abc", "</3/0>", (ushort)40, 0x80, "lt" },
        { "ep=dev&lt=0", "</3/0>", (ushort)40, 0x80, "lt" },
        { "ep=dev&lt=-5", "</3/0>", (ushort)40, 0x80, "lt" },
        { "ep=dev&lwm2m=one", "</3/0>", (ushort)40, 0x80, "lwm2m" },
        { "ep=dev&lwm2m=2.0", "</3/0>", (ushort)40, 0x8C, "2.0" },
        { "ep=dev&lwm2m=1.3", "</3/0>", (ushort)40, 0x8C, "1.3" },
        { "ep=dev&b=X", "</3/0>", (ushort)40, 0x80, "b" },
        { "ep=dev&Q=1", "</3/0>", (ushort)40, 0x80, "Q" },
        { "ep=dev", "</3/0", (ushort)40, 0x80, "link format" },
        { "ep=dev", "</3/abc>", (ushort)40, 0x80, "/3/abc" },
        { "ep=dev", "</3/0/1>", (ushort)40, 0x80, "/3/0/1" },
        { "ep=dev", "</>;rt=\"oma.lwm2m\";ct=json,</3/0>", (ushort)40, 0x80, "ct" },
        { "ep=dev", "</lwm2m>;rt=\"oma.lwm2m\",</3/0>", (ushort)40, 0x80, "root path" },
        { "ep=dev", "{\"3\":0}", (ushort)50, 0x80, "link format" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Malformed_register_is_refused_with_a_diagnostic_and_other_clients_are_undisturbed(string query, string? links, ushort? contentFormat, int code, string diagnosticMentions)
    {
        await using var f = await ServerFixture.StartAsync();
        FakeClient good = await f.AddClientAsync();
        FakeClient bad = await f.AddClientAsync(seed: 8);
        FakeClient later = await f.AddClientAsync(seed: 9);
        await f.RunAsync(good.Endpoint.SendAsync(f.Server.LocalEndPoint, ServerFixture.Register("ep=good&lwm2m=1.1", "</3/0>")));

        CoapResponse refused = await f.RunAsync(bad.Endpoint.SendAsync(f.Server.LocalEndPoint, ServerFixture.Register(query, links, contentFormat)));
        CoapResponse accepted = await f.RunAsync(later.Endpoint.SendAsync(f.Server.LocalEndPoint, ServerFixture.Register("ep=later&lwm2m=1.1", "</3/0>")));

        Assert.Equal(new CoapCode((byte)code), refused.Code);
        Assert.Contains(diagnosticMentions, refused.PayloadText, StringComparison.Ordinal);
        Assert.Equal(CoapCode.Created, accepted.Code);
        Assert.Equal(["good", "later"], (await f.Server.GetRegistrationsAsync()).Select(r => r.Endpoint).Order());
    }

    [Fact]
    public async Task Malformed_update_is_refused_and_leaves_the_registration_as_it_was()
    {
        await using var f = await ServerFixture.StartAsync();
        FakeClient client = await f.AddClientAsync();
        CoapResponse created = await f.RunAsync(client.Endpoint.SendAsync(f.Server.LocalEndPoint, ServerFixture.Register("ep=dev&lt=100", "</3/0>")));
        string location = "/" + string.Join('/', created.Options.Where(o => o.Number == CoapOptionNumber.LocationPath).Select(o => o.GetString()));

        var update = new CoapMessage { Code = CoapCode.Post }.SetUriPath(location).AddOption(CoapOption.FromString(CoapOptionNumber.UriQuery, "lt=soon"));
        CoapResponse refused = await f.RunAsync(client.Endpoint.SendAsync(f.Server.LocalEndPoint, update));

        Assert.Equal(CoapCode.BadRequest, refused.Code);
        Assert.Equal(TimeSpan.FromSeconds(100), (await f.Server.GetRegistrationAsync("dev"))!.Lifetime);
    }

    [Fact]
    public async Task Requests_outside_the_registration_interface_are_not_found_or_not_allowed()
    {
        await using var f = await ServerFixture.StartAsync();
        FakeClient client = await f.AddClientAsync();

        CoapResponse elsewhere = await f.RunAsync(client.Endpoint.SendAsync(f.Server.LocalEndPoint, new CoapMessage { Code = CoapCode.Get }.SetUriPath("/other")));
        CoapResponse getRd = await f.RunAsync(client.Endpoint.SendAsync(f.Server.LocalEndPoint, new CoapMessage { Code = CoapCode.Get }.SetUriPath("/rd")));

        Assert.Equal(CoapCode.NotFound, elsewhere.Code);
        Assert.Equal(CoapCode.MethodNotAllowed, getRd.Code);
    }
}
