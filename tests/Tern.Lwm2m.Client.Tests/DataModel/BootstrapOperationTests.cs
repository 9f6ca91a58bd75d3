using System.Text;
using Tern.Coap.Endpoint;
using Tern.Coap.Messages;
using Tern.Lwm2m.Client.Configuration;
using Tern.Lwm2m.Client.DataModel;
using Tern.Lwm2m.Client.Engine;
using Tern.Lwm2m.Model;
using static Tern.Lwm2m.Client.Tests.DataModel.TestModel;
using F = Tern.Lwm2m.Formats.Lwm2mContentFormat;

namespace Tern.Lwm2m.Client.Tests.DataModel;

/// <summary>The bootstrap interface as the bootstrap server uses it (TS 1.1 §5.2.7).</summary>
public class BootstrapOperationTests
{
    private static CoapResponse Bootstrap(Lwm2mRequestDispatcher dispatcher, CoapMessage request) => dispatcher.Handle(request, 0, isBootstrapServer: true);

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public void Bootstrap_write_creates_security_and_server_instances_that_read_back_as_configuration()
    {
        Lwm2mObjectStore store = CreateStore();
        var dispatcher = new Lwm2mRequestDispatcher(store);
        var security = new Lwm2mObjectInstance(2,
        [
            new Lwm2mSingleResource(0, Lwm2mValue.FromString("coaps://dm.example:5684")),
            new Lwm2mSingleResource(1, Lwm2mValue.FromBoolean(false)),
            new Lwm2mSingleResource(2, Lwm2mValue.FromInteger(0)),
            new Lwm2mSingleResource(3, Lwm2mValue.FromOpaque(Utf8("node-1"))),
            new Lwm2mSingleResource(5, Lwm2mValue.FromOpaque([0xAA, 0xBB])),
            new Lwm2mSingleResource(10, Lwm2mValue.FromInteger(202)),
        ]);
        var server = new Lwm2mObjectInstance(3,
        [
            new Lwm2mSingleResource(0, Lwm2mValue.FromInteger(202)),
            new Lwm2mSingleResource(1, Lwm2mValue.FromInteger(86400)),
            new Lwm2mSingleResource(6, Lwm2mValue.FromBoolean(false)),
            new Lwm2mSingleResource(7, Lwm2mValue.FromString("UQ")),
        ]);

        Assert.Equal(CoapCode.Changed, Bootstrap(dispatcher, Request(CoapCode.Put, "/0/2", F.Tlv, Encode(F.Tlv, P("/0/2"), security))).Code);
        Assert.Equal(CoapCode.Changed, Bootstrap(dispatcher, Request(CoapCode.Put, "/1/3", F.SenmlCbor, Encode(F.SenmlCbor, P("/1/3"), server))).Code);

        Lwm2mClientConfiguration configuration = store.ReadConfiguration();
        Lwm2mSecurityInstance written = Assert.Single(configuration.Securities, s => s.InstanceId == 2);
        Assert.Equal("coaps://dm.example:5684", written.ServerUri);
        Assert.Equal(Lwm2mSecurityMode.PreSharedKey, written.SecurityMode);
        Assert.Equal("node-1", Encoding.UTF8.GetString(written.PublicKeyOrIdentity.Span));
        Assert.Equal(new byte[] { 0xAA, 0xBB }, written.SecretKey.ToArray());
        Assert.Equal((ushort)202, written.ShortServerId);
        Lwm2mServerInstance account = Assert.Single(configuration.Servers, s => s.InstanceId == 3);
        Assert.Equal((ushort)202, account.ShortServerId);
        Assert.Equal(TimeSpan.FromDays(1), account.Lifetime);
        Assert.True(account.QueueMode);
        Assert.False(account.NotificationStoring);
        Assert.Contains(configuration.ServerAccounts, a => a.Server.InstanceId == 3 && a.Security.InstanceId == 2);
    }

    [Fact]
    public void Bootstrap_write_ignores_read_only_but_a_server_may_not()
    {
        Lwm2mObjectStore store = CreateStore();
        var dispatcher = new Lwm2mRequestDispatcher(store);

        Assert.Equal(CoapCode.MethodNotAllowed, dispatcher.Handle(Text(CoapCode.Put, "/1/0/0", "7", F.Text), 101).Code);
        Assert.Equal(CoapCode.Changed, Bootstrap(dispatcher, Text(CoapCode.Put, "/1/0/0", "7", F.Text)).Code);

        Assert.Equal(7, store.GetValue(P("/1/0/0")).AsInteger());
    }

    [Fact]
    public void Bootstrap_write_on_an_object_writes_every_instance_it_carries()
    {
        Lwm2mObjectStore store = CreateStore();
        var dispatcher = new Lwm2mRequestDispatcher(store);
        var node = new Lwm2mObject(Id,
        [
            new Lwm2mObjectInstance(1, [new Lwm2mSingleResource(9, Lwm2mValue.FromInteger(91))]),
            new Lwm2mObjectInstance(6, [new Lwm2mSingleResource(9, Lwm2mValue.FromInteger(96))]),
        ]);

        Assert.Equal(CoapCode.Changed, Bootstrap(dispatcher, Request(CoapCode.Put, "/9999", F.SenmlJson, Encode(F.SenmlJson, P("/9999"), node))).Code);

        Assert.Equal(91, store.GetValue(P("/9999/1/9")).AsInteger());
        Assert.Equal(-5, store.GetValue(P("/9999/1/1")).AsInteger());
        Assert.Equal(96, store.GetValue(P("/9999/6/9")).AsInteger());
    }

    [Fact]
    public void Bootstrap_delete_on_root_keeps_only_the_bootstrap_account_and_the_device()
    {
        Lwm2mObjectStore store = CreateStore();
        var dispatcher = new Lwm2mRequestDispatcher(store);

        Assert.Equal(CoapCode.Deleted, Bootstrap(dispatcher, Request(CoapCode.Delete, "/")).Code);

        Assert.Equal([1], store.GetInstanceIds(0));
        Assert.Empty(store.GetInstanceIds(1));
        Assert.Empty(store.GetInstanceIds(Id));
        Assert.Equal([0], store.GetInstanceIds(3));
    }

    [Theory]
    [InlineData("/0", new[] { 1 })]
    [InlineData("/0/0", new[] { 1 })]
    [InlineData("/0/7", new[] { 0, 1 })]
    public void Bootstrap_delete_on_an_object_or_instance_spares_the_bootstrap_account(string path, int[] left)
    {
        Lwm2mObjectStore store = CreateStore();
        var dispatcher = new Lwm2mRequestDispatcher(store);

        Assert.Equal(CoapCode.Deleted, Bootstrap(dispatcher, Request(CoapCode.Delete, path)).Code);

        Assert.Equal(left, store.GetInstanceIds(0));
    }

    [Theory]
    [InlineData("DELETE", "/0/1", null, "4.00")]
    [InlineData("DELETE", "/3/0", null, "4.00")]
    [InlineData("DELETE", "/9999/0/1", null, "4.00")]
    [InlineData("DELETE", "/4242", null, "4.04")]
    [InlineData("GET", "/3/0", null, "4.01")]
    [InlineData("GET", "/0/0", null, "4.01")]
    [InlineData("GET", "/9999/0/1", F.LinkFormat, "4.00")]
    [InlineData("GET", "/4242", F.LinkFormat, "4.04")]
    [InlineData("POST", "/9999/0/8", null, "4.05")]
    [InlineData("POST", "/9999", null, "4.05")]
    [InlineData("PUT", "/", null, "4.05")]
    [InlineData("PUT", "/4242/0", null, "4.04")]
    public void Bootstrap_refusals_follow_the_TS(string method, string path, ushort? accept, string expected)
    {
        var dispatcher = new Lwm2mRequestDispatcher(CreateStore());
        CoapCode code = method switch { "GET" => CoapCode.Get, "PUT" => CoapCode.Put, "POST" => CoapCode.Post, _ => CoapCode.Delete };

        CoapResponse response = Bootstrap(dispatcher, Request(code, path, accept: (uint?)accept));

        Assert.Equal(expected, response.Code.ToString());
    }

    [Fact]
    public void Bootstrap_read_reads_the_server_object()
    {
        var dispatcher = new Lwm2mRequestDispatcher(CreateStore());

        CoapResponse response = Bootstrap(dispatcher, Request(CoapCode.Get, "/1/0/1", accept: F.Text));

        Assert.Equal(CoapCode.Content, response.Code);
        Assert.Equal("300", response.PayloadText);
    }

    [Fact]
    public void Bootstrap_discover_on_root_shows_version_ssid_and_uri()
    {
        var dispatcher = new Lwm2mRequestDispatcher(CreateStore()) { Version = Lwm2mVersion.Lwm2m11 };

        CoapResponse response = Bootstrap(dispatcher, Request(CoapCode.Get, "/", accept: F.LinkFormat));

        Assert.Equal(CoapCode.Content, response.Code);
        Assert.Equal(
            "</>;lwm2m=1.1,</0>;ver=1.2,</0/0>;ssid=101;uri=\"coap://server\",</0/1>;uri=\"coap://bootstrap\",</1>;ver=1.2,</1/0>;ssid=101,</3>;ver=1.2,</3/0>,</9999>;ver=1.1,</9999/0>,</9999/1>",
            response.PayloadText);
    }

    [Fact]
    public void Bootstrap_discover_on_an_object_lists_only_its_instances()
    {
        var dispatcher = new Lwm2mRequestDispatcher(CreateStore());

        CoapResponse response = Bootstrap(dispatcher, Request(CoapCode.Get, "/1", accept: F.LinkFormat));

        Assert.Equal("</1>;ver=1.2,</1/0>;ssid=101", response.PayloadText);
    }

    [Fact]
    public void Bootstrap_finish_goes_to_the_engine_seam_and_answers_its_verdict()
    {
        var calls = 0;
        var dispatcher = new Lwm2mRequestDispatcher(CreateStore()) { BootstrapFinished = () => ++calls == 1 ? Lwm2mStatus.BadRequest : Lwm2mStatus.Ok };

        CoapResponse refused = Bootstrap(dispatcher, Request(CoapCode.Post, "/bs"));
        CoapResponse accepted = Bootstrap(dispatcher, Request(CoapCode.Post, "/bs"));

        Assert.Equal(CoapCode.BadRequest, refused.Code);
        Assert.Equal(CoapCode.Changed, accepted.Code);
    }

    [Fact]
    public void Configuration_survives_a_load_and_read_round_trip()
    {
        var configuration = new Lwm2mClientConfiguration(
            [
                new Lwm2mSecurityInstance(0, "coaps://a:5684", false, Lwm2mSecurityMode.PreSharedKey)
                {
                    ShortServerId = 5, PublicKeyOrIdentity = Utf8("id"), SecretKey = new byte[] { 1, 2 }, ClientHoldOffTime = TimeSpan.FromSeconds(9),
                },
                new Lwm2mSecurityInstance(4, "coap://bs", true, Lwm2mSecurityMode.NoSec),
            ],
            [
                new Lwm2mServerInstance(2, 5, TimeSpan.FromSeconds(120), "UQ")
                {
                    DefaultMinPeriod = TimeSpan.FromSeconds(1), DefaultMaxPeriod = TimeSpan.FromSeconds(60), DisableTimeout = TimeSpan.FromSeconds(30),
                    NotificationStoring = false, BootstrapOnRegistrationFailure = false, CommunicationRetryCount = 3, CommunicationRetryTimer = TimeSpan.FromSeconds(7),
                    SequenceDelayTimer = TimeSpan.FromSeconds(70), SequenceRetryCount = 2, PreferredTransport = "U",
                },
            ]);
        var store = new Lwm2mObjectStore();

        store.LoadConfiguration(configuration);
        Lwm2mClientConfiguration back = store.ReadConfiguration();

        Assert.Empty(back.Validate());
        Assert.Equal(configuration.Servers, back.Servers);
        Assert.Equal(configuration.Securities.Select(Describe), back.Securities.Select(Describe));
    }

    private static string Describe(Lwm2mSecurityInstance s) =>
        $"{s.InstanceId} {s.ServerUri} {s.IsBootstrapServer} {s.SecurityMode} {Convert.ToHexString(s.PublicKeyOrIdentity.Span)} {Convert.ToHexString(s.SecretKey.Span)} {s.ShortServerId} {s.ClientHoldOffTime}";
}
