using Tern.Coap.Endpoint;
using Tern.Coap.Messages;
using Tern.Coap.Timing;
using Tern.Coap.Transport.Virtual;
using Tern.Lwm2m.Definitions;
using Tern.Lwm2m.Formats;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Server.Bootstrap;

/// <summary>
/// The bootstrap sequence against a scripted client:
/// <code>
///   client                         bootstrap server
///     | POST /bs?ep=dev             |
///     |----------------------------&gt;|
///     |             2.04            |
///     |&lt;----------------------------|
///     |   (GET / Accept 40)         |  when the configuration asks for Discover
///     |   DELETE /                  |
///     |   PUT /0/1, PUT /1/0        |
///     |   POST /bs (Finish)         |
///     |&lt;----------------------------|
/// </code>
/// </summary>
public sealed class BootstrapServerTests : IAsyncDisposable
{
    private static readonly ObjectDefinitionRegistry Objects = new();
    private readonly VirtualTimeProvider _clock = new();
    private readonly VirtualNetwork _network;
    private readonly List<IDisposable> _checks = [];
    private Lwm2mBootstrapServer _server = null!;
    private CoapEndpoint _client = null!;
    private FakeClient _fake = null!;

    public BootstrapServerTests() => _network = new VirtualNetwork(_clock, 5) { WaitForReadersToStart = true };

    private async Task StartAsync(Func<CoapMessage, CoapResponse?> answer)
    {
        _server = await Lwm2mBootstrapServer.StartAsync(_network.CreateTransport(), new Lwm2mBootstrapServerOptions { Coap = new CoapEndpointOptions { Random = new Random(5) } }, _clock);
        _fake = new FakeClient(answer);
        _client = await CoapEndpoint.StartAsync(_network.CreateTransport(), new CoapEndpointOptions { Handler = _fake, Random = new Random(6) }, _clock);
        _fake.Endpoint = _client;
        _checks.Add(_network.AddIdleCheck(() => _server.IsIdle));
        _checks.Add(_network.AddIdleCheck(() => _client.IsIdle));
    }

    private async Task<CoapResponse> BootstrapRequestAsync(string query)
    {
        var request = new CoapMessage { Type = CoapMessageType.Confirmable, Code = CoapCode.Post }.SetUriPath("/bs");
        foreach (string part in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            request.AddOption(CoapOption.FromString(CoapOptionNumber.UriQuery, part));
        }

        Task<CoapResponse> send = _client.SendAsync(_server.LocalEndPoint, request);
        await _network.RunUntilAsync(() => send.IsCompleted, TimeSpan.FromSeconds(20));
        return await send.WaitAsync(TimeSpan.FromSeconds(30));
    }

    private async Task<BootstrapSessionEventArgs> SessionAsync(Task<BootstrapSessionEventArgs> ended)
    {
        await _network.RunUntilAsync(() => ended.IsCompleted, TimeSpan.FromSeconds(20));
        return await ended.WaitAsync(TimeSpan.FromSeconds(30));
    }

    private Task<BootstrapSessionEventArgs> NextSession()
    {
        var ended = new TaskCompletionSource<BootstrapSessionEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        _server.SessionEnded += (_, e) => ended.TrySetResult(e);
        return ended.Task;
    }

    private static string Describe(CoapMessage request) => request.Code switch
    {
        var c when c == CoapCode.Get => "GET ",
        var c when c == CoapCode.Put => "PUT ",
        var c when c == CoapCode.Post => "POST ",
        var c when c == CoapCode.Delete => "DELETE ",
        _ => "? ",
    } + request.UriPath;

    [Fact]
    public async Task Bootstrap_request_is_answered_changed_then_delete_writes_and_finish_follow_in_order()
    {
        await StartAsync(_ => new CoapResponse(CoapCode.Changed));
        BootstrapConfiguration configuration = BootstrapConfiguration.ForServer("coap://server:5683", 101, TimeSpan.FromMinutes(5));
        await _server.Store.SetAsync("dev", configuration);
        Task<BootstrapSessionEventArgs> ended = NextSession();

        CoapResponse accepted = await BootstrapRequestAsync("ep=dev");
        BootstrapSessionEventArgs session = await SessionAsync(ended);

        Assert.Equal(CoapCode.Changed, accepted.Code);
        Assert.True(session.Success, session.Failure);
        Assert.Equal(["DELETE /", "PUT /0/1", "PUT /1/0", "POST /bs"], _fake.Received.Select(Describe));
        Assert.Equal(["Delete", "Write", "Write", "Finish"], session.Steps.Select(s => s.Operation));

        // The writes carry the configured instances, in TLV by default.
        Assert.True(Lwm2mContentFormatRegistry.Default.TryGet(Lwm2mContentFormat.Tlv, out ILwm2mContentCodec? tlv));
        CoapMessage security = _fake.Received[1];
        Assert.Equal(Lwm2mContentFormat.Tlv, security.ContentFormat);
        var decoded = Assert.IsType<Lwm2mObjectInstance>(tlv.DecodeNode(security.Payload.Span, Lwm2mPath.Parse("/0/1"), Objects).Value);
        Assert.Equal(Lwm2mValue.FromString("coap://server:5683"), Assert.IsType<Lwm2mSingleResource>(decoded.Resources.Single(r => r.Id == 0)).Value);
        Assert.Equal(Lwm2mValue.FromInteger(101), Assert.IsType<Lwm2mSingleResource>(decoded.Resources.Single(r => r.Id == 10)).Value);
    }

    [Fact]
    public async Task A_psk_configuration_provisions_mode_identity_and_key_into_the_security_instance()
    {
        await StartAsync(_ => new CoapResponse(CoapCode.Changed));
        byte[] key = [0x00, 0x11, 0x22, 0x33];
        await _server.Store.SetAsync("dev", BootstrapConfiguration.ForPskServer("coaps://server:5684", 101, TimeSpan.FromMinutes(5), "dev-identity", key));
        Task<BootstrapSessionEventArgs> ended = NextSession();

        await BootstrapRequestAsync("ep=dev");
        BootstrapSessionEventArgs session = await SessionAsync(ended);

        Assert.True(session.Success, session.Failure);
        Assert.True(Lwm2mContentFormatRegistry.Default.TryGet(Lwm2mContentFormat.Tlv, out ILwm2mContentCodec? tlv));
        var written = Assert.IsType<Lwm2mObjectInstance>(tlv.DecodeNode(_fake.Received[1].Payload.Span, Lwm2mPath.Parse("/0/1"), Objects).Value);
        Lwm2mValue Resource(int id) => Assert.IsType<Lwm2mSingleResource>(written.Resources.Single(r => r.Id == id)).Value;
        Assert.Equal(Lwm2mValue.FromString("coaps://server:5684"), Resource(0));
        Assert.Equal(Lwm2mValue.FromInteger(0), Resource(2));
        Assert.Equal(Lwm2mValue.FromOpaque("dev-identity"u8.ToArray()), Resource(3));
        Assert.Equal(Lwm2mValue.FromOpaque(key), Resource(5));
        Assert.Throws<ArgumentException>(() => BootstrapConfiguration.ForPskServer("coap://server", 1, TimeSpan.FromMinutes(5), "id", key));
    }

    [Fact]
    public async Task Preferred_content_format_of_the_request_is_used_and_discover_comes_first_when_configured()
    {
        await StartAsync(request => request.Code == CoapCode.Get
            ? new CoapResponse(CoapCode.Content, "</0/0>,</1>,</3/0>"u8.ToArray()) { ContentFormat = 40 }
            : new CoapResponse(request.Code == CoapCode.Delete ? CoapCode.Deleted : CoapCode.Changed));
        await _server.Store.SetAsync("dev", BootstrapConfiguration.ForServer("coap://server", 1, TimeSpan.FromSeconds(60)) with { Discover = true, Deletes = [Lwm2mPath.Parse("/0/1"), Lwm2mPath.Parse("/1")] });
        Task<BootstrapSessionEventArgs> ended = NextSession();

        await BootstrapRequestAsync("ep=dev&pct=112");
        BootstrapSessionEventArgs session = await SessionAsync(ended);

        Assert.True(session.Success, session.Failure);
        Assert.Equal(["GET /", "DELETE /0/1", "DELETE /1", "PUT /0/1", "PUT /1/0", "POST /bs"], _fake.Received.Select(Describe));
        Assert.Equal((uint)40, _fake.Received[0].GetUIntOption(CoapOptionNumber.Accept));
        Assert.Equal(["/0/0", "/1", "/3/0"], session.Discovered.Select(l => l.Target));
        Assert.All(_fake.Received.Where(r => r.Code == CoapCode.Put), r => Assert.Equal(Lwm2mContentFormat.SenmlCbor, r.ContentFormat));
    }

    [Fact]
    public async Task Write_refused_as_unsupported_format_is_retried_in_senml_cbor()
    {
        await StartAsync(request => request.Code == CoapCode.Put && request.ContentFormat == Lwm2mContentFormat.Tlv
            ? new CoapResponse(CoapCode.UnsupportedContentFormat)
            : new CoapResponse(CoapCode.Changed));
        await _server.Store.SetAsync("anjay", BootstrapConfiguration.ForServer("coap://server", 1, TimeSpan.FromSeconds(60)));
        Task<BootstrapSessionEventArgs> ended = NextSession();

        await BootstrapRequestAsync("ep=anjay");
        BootstrapSessionEventArgs session = await SessionAsync(ended);

        Assert.True(session.Success, session.Failure);
        Assert.Equal(["DELETE /", "PUT /0/1", "PUT /0/1", "PUT /1/0", "POST /bs"], _fake.Received.Select(Describe));
        Assert.Equal([Lwm2mContentFormat.Tlv, Lwm2mContentFormat.SenmlCbor, Lwm2mContentFormat.SenmlCbor], _fake.Received.Skip(1).Take(3).Select(r => r.ContentFormat!.Value));
    }

    [Fact]
    public async Task Failed_write_ends_the_session_without_finish_and_reports_why()
    {
        await StartAsync(request => request.Code == CoapCode.Put && request.UriPath == "/1/0"
            ? new CoapResponse(CoapCode.BadRequest)
            : new CoapResponse(CoapCode.Changed));
        await _server.Store.SetAsync("dev", BootstrapConfiguration.ForServer("coap://server", 1, TimeSpan.FromSeconds(60)));
        Task<BootstrapSessionEventArgs> ended = NextSession();

        await BootstrapRequestAsync("ep=dev");
        BootstrapSessionEventArgs session = await SessionAsync(ended);

        Assert.False(session.Success);
        Assert.Contains("/1/0", session.Failure, StringComparison.Ordinal);
        Assert.Equal(["DELETE /", "PUT /0/1", "PUT /1/0"], _fake.Received.Select(Describe));
    }

    [Fact]
    public async Task Finish_refused_with_a_reason_fails_the_session_with_that_reason()
    {
        await StartAsync(request => request.UriPath == "/bs"
            ? CoapResponse.Text(CoapCode.NotAcceptable, "no server account\u0007")
            : new CoapResponse(CoapCode.Changed));
        await _server.Store.SetAsync("dev", BootstrapConfiguration.ForServer("coap://server", 1, TimeSpan.FromSeconds(60)));
        Task<BootstrapSessionEventArgs> ended = NextSession();

        await BootstrapRequestAsync("ep=dev");
        BootstrapSessionEventArgs session = await SessionAsync(ended);

        Assert.False(session.Success);
        Assert.Equal("Finish / was answered 4.06: no server account ", session.Failure);
        Assert.Equal(CoapCode.NotAcceptable, session.Steps[^1].Code);
    }

    [Theory]
    [InlineData("ep=unknown", "unknown")]
    [InlineData("lt=5", "ep")]
    [InlineData("ep=dev&pct=json", "pct")]
    public async Task Bootstrap_request_without_a_usable_endpoint_is_refused_with_a_diagnostic(string query, string mentions)
    {
        await StartAsync(_ => new CoapResponse(CoapCode.Changed));
        await _server.Store.SetAsync("dev", BootstrapConfiguration.ForServer("coap://server", 1, TimeSpan.FromSeconds(60)));

        CoapResponse refused = await BootstrapRequestAsync(query);

        Assert.Equal(CoapCode.BadRequest, refused.Code);
        Assert.Contains(mentions, refused.PayloadText, StringComparison.Ordinal);
        Assert.Empty(_fake.Received);
    }

    private static CoapResponse ServerAccounts() =>
        new(CoapCode.Content, "[{\"bn\":\"/1/0/\",\"n\":\"0\",\"v\":101},{\"n\":\"1\",\"v\":300}]"u8.ToArray()) { ContentFormat = Lwm2mContentFormat.SenmlJson };

    //     |   GET /1 Accept=TLV (Bootstrap-Read)   |   before anything is deleted
    //     |   2.05 SenML JSON                       |
    //     |   DELETE /, PUT /0/1, PUT /1/0, POST /bs |
    [Fact]
    public async Task Bootstrap_read_of_the_server_object_comes_before_delete_and_its_node_is_reported()
    {
        await StartAsync(request => request.Code == CoapCode.Get ? ServerAccounts() : new CoapResponse(CoapCode.Changed));
        await _server.Store.SetAsync("dev", BootstrapConfiguration.ForServer("coap://server", 101, TimeSpan.FromSeconds(60)) with { Reads = [Lwm2mPath.Parse("/1")] });
        Task<BootstrapSessionEventArgs> ended = NextSession();

        await BootstrapRequestAsync("ep=dev");
        BootstrapSessionEventArgs session = await SessionAsync(ended);

        Assert.True(session.Success, session.Failure);
        Assert.Equal(["GET /1", "DELETE /", "PUT /0/1", "PUT /1/0", "POST /bs"], _fake.Received.Select(Describe));
        Assert.Equal((uint)Lwm2mContentFormat.Tlv, _fake.Received[0].GetUIntOption(CoapOptionNumber.Accept));
        Assert.Equal(("Read", "/1", (CoapCode?)CoapCode.Content), (session.Steps[0].Operation, session.Steps[0].Path, session.Steps[0].Code));
        Lwm2mObject servers = Assert.IsType<Lwm2mObject>(Assert.Single(session.Read, kv => kv.Key == Lwm2mPath.Parse("/1")).Value);
        Lwm2mObjectInstance account = Assert.Single(servers.Instances);
        Assert.Equal(0, account.Id);
        Assert.Contains(new Lwm2mSingleResource(0, Lwm2mValue.FromInteger(101)), account.Resources);
        Assert.Contains(new Lwm2mSingleResource(1, Lwm2mValue.FromInteger(300)), account.Resources);
    }

    [Fact]
    public async Task Bootstrap_read_refused_by_the_client_is_recorded_and_the_session_goes_on()
    {
        await StartAsync(request => request.Code == CoapCode.Get ? new CoapResponse(CoapCode.MethodNotAllowed) : new CoapResponse(CoapCode.Changed));
        await _server.Store.SetAsync("dev", BootstrapConfiguration.ForServer("coap://server", 1, TimeSpan.FromSeconds(60)) with { Reads = [Lwm2mPath.Parse("/2")] });
        Task<BootstrapSessionEventArgs> ended = NextSession();

        await BootstrapRequestAsync("ep=dev");
        BootstrapSessionEventArgs session = await SessionAsync(ended);

        Assert.True(session.Success, session.Failure);
        Assert.Equal(["GET /2", "DELETE /", "PUT /0/1", "PUT /1/0", "POST /bs"], _fake.Received.Select(Describe));
        Assert.Equal(CoapCode.MethodNotAllowed, session.Steps[0].Code);
        Assert.Empty(session.Read);
    }

    [Fact]
    public async Task Bootstrap_read_refused_as_not_acceptable_is_asked_again_in_senml_cbor()
    {
        await StartAsync(request => request.Code != CoapCode.Get ? new CoapResponse(CoapCode.Changed)
            : request.GetUIntOption(CoapOptionNumber.Accept) == Lwm2mContentFormat.Tlv ? new CoapResponse(CoapCode.NotAcceptable) : ServerAccounts());
        await _server.Store.SetAsync("anjay", BootstrapConfiguration.ForServer("coap://server", 1, TimeSpan.FromSeconds(60)) with { Reads = [Lwm2mPath.Parse("/1/0")] });
        Task<BootstrapSessionEventArgs> ended = NextSession();

        await BootstrapRequestAsync("ep=anjay");
        BootstrapSessionEventArgs session = await SessionAsync(ended);

        Assert.True(session.Success, session.Failure);
        Assert.Equal([(uint)Lwm2mContentFormat.Tlv, (uint)Lwm2mContentFormat.SenmlCbor], _fake.Received.Take(2).Select(r => r.GetUIntOption(CoapOptionNumber.Accept)!.Value));
        Assert.IsType<Lwm2mObjectInstance>(Assert.Single(session.Read).Value);
    }

    [Fact]
    public async Task No_bootstrap_read_is_sent_to_a_client_whose_discover_says_lwm2m_1_0()
    {
        await StartAsync(request => request.Code == CoapCode.Get
            ? new CoapResponse(CoapCode.Content, "</>;lwm2m=\"1.0\",</0/0>,</1/0>"u8.ToArray()) { ContentFormat = 40 }
            : new CoapResponse(CoapCode.Changed));
        await _server.Store.SetAsync("old", BootstrapConfiguration.ForServer("coap://server", 1, TimeSpan.FromSeconds(60)) with { Discover = true, Reads = [Lwm2mPath.Parse("/1")] });
        Task<BootstrapSessionEventArgs> ended = NextSession();

        await BootstrapRequestAsync("ep=old");
        BootstrapSessionEventArgs session = await SessionAsync(ended);

        Assert.True(session.Success, session.Failure);
        Assert.Equal(["GET /", "DELETE /", "PUT /0/1", "PUT /1/0", "POST /bs"], _fake.Received.Select(Describe));
        Assert.Equal("1.0", session.Discovered[0]["lwm2m"]);
    }

    [Fact]
    public async Task Bootstrap_discover_can_target_one_object()
    {
        await StartAsync(request => request.Code == CoapCode.Get
            ? new CoapResponse(CoapCode.Content, "</0/0>,</0/1>"u8.ToArray()) { ContentFormat = 40 }
            : new CoapResponse(CoapCode.Changed));
        await _server.Store.SetAsync("dev", BootstrapConfiguration.ForServer("coap://server", 1, TimeSpan.FromSeconds(60)) with { Discover = true, DiscoverPath = Lwm2mPath.Parse("/0") });
        Task<BootstrapSessionEventArgs> ended = NextSession();

        await BootstrapRequestAsync("ep=dev");
        BootstrapSessionEventArgs session = await SessionAsync(ended);

        Assert.Equal("GET /0", Describe(_fake.Received[0]));
        Assert.Equal(["/0/0", "/0/1"], session.Discovered.Select(l => l.Target));
    }

    [Theory]
    [InlineData("/3")]
    [InlineData("/0/1")]
    [InlineData("/1/0/1")]
    [InlineData("/")]
    public void Bootstrap_read_outside_the_server_and_access_control_objects_is_refused_in_the_configuration(string path)
    {
        ArgumentException refused = Assert.Throws<ArgumentException>(() => new BootstrapConfiguration { Reads = [Lwm2mPath.Parse(path)] });

        Assert.Contains(path, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bootstrap_discover_of_an_instance_is_refused_in_the_configuration()
    {
        Assert.Throws<ArgumentException>(() => new BootstrapConfiguration { DiscoverPath = Lwm2mPath.Parse("/0/1") });
    }

    public async ValueTask DisposeAsync()
    {
        foreach (IDisposable check in _checks)
        {
            check.Dispose();
        }

        await _client.DisposeAsync();
        await _server.DisposeAsync();
        await _network.DisposeAsync();
    }
}
