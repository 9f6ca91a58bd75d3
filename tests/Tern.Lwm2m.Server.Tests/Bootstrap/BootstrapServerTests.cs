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

    public BootstrapServerTests() => _network = new VirtualNetwork(_clock, 5);

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
