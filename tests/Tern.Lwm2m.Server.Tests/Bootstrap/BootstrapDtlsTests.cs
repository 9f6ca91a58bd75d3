using System.Net;
using Tern.Coap.Dtls;
using Tern.Coap.Endpoint;
using Tern.Coap.Messages;
using Tern.Coap.Transport;
using Tern.Coap.Transport.Udp;
using Tern.Lwm2m.Server.Security;

namespace Tern.Lwm2m.Server.Bootstrap;

/// <summary>
/// The Tern bootstrap server on an <see cref="Lwm2mServerTransport"/> (plain CoAP and DTLS over real loopback sockets)
/// with a bootstrap-side security store: who may send Bootstrap-Request for which endpoint. Bounds are safety nets only.
/// </summary>
public sealed class BootstrapDtlsTests : IAsyncLifetime
{
    private static readonly byte[] Key = Convert.FromHexString("0102030405060708090a0b0c0d0e0f10");
    private static readonly byte[] OtherKey = Convert.FromHexString("a0a1a2a3a4a5a6a7a8a9aaabacadaeaf");
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private readonly InMemorySecurityStore _security = new();
    private Lwm2mBootstrapServer _bootstrap = null!;
    private Lwm2mServerTransport _transport = null!;

    public async Task InitializeAsync()
    {
        Assert.True(_security.TryPut(SecurityInfo.ForPsk("bs-dev", "bs-dev-id", Key), out _));
        Assert.True(_security.TryPut(SecurityInfo.ForPsk("other-dev", "other-id", OtherKey), out _));
        _transport = await Lwm2mServerTransport.BindAsync(new Lwm2mServerTransportOptions
        {
            CoapEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            CoapsEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            Security = _security,
            HandshakeTimeout = TimeSpan.FromSeconds(10),
        });
        _bootstrap = await Lwm2mBootstrapServer.StartAsync(_transport, new Lwm2mBootstrapServerOptions { RequestTimeout = TimeSpan.FromSeconds(5) });
        foreach (string endpoint in new[] { "bs-dev", "other-dev", "nosec-dev" })
        {
            await _bootstrap.Store.SetAsync(endpoint, BootstrapConfiguration.ForServer("coap://127.0.0.1:5683", 1, TimeSpan.FromMinutes(5)));
        }
    }

    public async Task DisposeAsync()
    {
        await _bootstrap.DisposeAsync();
        await _transport.DisposeAsync();
    }

    private static CoapMessage BootstrapRequest(string endpoint) =>
        new CoapMessage { Type = CoapMessageType.Confirmable, Code = CoapCode.Post }.SetUriPath("/bs")
            .AddOption(CoapOption.FromString(CoapOptionNumber.UriQuery, "ep=" + endpoint));

    private async Task<CoapEndpoint> DtlsPeerAsync(string identity, byte[] key)
    {
        DtlsClientTransport dtls = await DtlsClientTransport.ConnectAsync(_transport.CoapsEndPoint!.Value.EndPoint,
            new DtlsClientOptions { PskIdentity = identity, PskKey = key, HandshakeTimeout = TimeSpan.FromSeconds(10) });
        return await CoapEndpoint.StartAsync(dtls);
    }

    [Fact]
    public async Task Bootstrap_request_over_dtls_with_the_endpoints_own_psk_is_accepted()
    {
        await using CoapEndpoint peer = await DtlsPeerAsync("bs-dev-id", Key);
        var ended = new TaskCompletionSource<BootstrapSessionEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        _bootstrap.SessionEnded += (_, e) => ended.TrySetResult(e);

        CoapResponse response = await peer.SendAsync(_transport.CoapsEndPoint!.Value, BootstrapRequest("bs-dev"), new CancellationTokenSource(Bound).Token);

        Assert.Equal(CoapCode.Changed, response.Code);
        Assert.Same(_security, _bootstrap.Security);
        BootstrapSessionEventArgs session = await ended.Task.WaitAsync(Bound);
        Assert.Equal("bs-dev", session.Endpoint);
        Assert.Equal("Delete", session.Steps[0].Operation); // the session's first request reached the peer over DTLS
        Assert.NotNull(session.Steps[0].Code);
    }

    [Fact]
    public async Task Bootstrap_request_under_another_endpoints_identity_is_refused_with_4_03_and_no_session()
    {
        await using CoapEndpoint peer = await DtlsPeerAsync("other-id", OtherKey);
        var refused = new TaskCompletionSource<BootstrapRefusedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        _bootstrap.Refused += (_, e) => refused.TrySetResult(e);
        int sessions = 0;
        _bootstrap.SessionEnded += (_, _) => Interlocked.Increment(ref sessions);

        CoapResponse response = await peer.SendAsync(_transport.CoapsEndPoint!.Value, BootstrapRequest("bs-dev"), new CancellationTokenSource(Bound).Token);

        Assert.Equal(CoapCode.Forbidden, response.Code);
        Assert.Contains("other-id", response.PayloadText, StringComparison.Ordinal);
        BootstrapRefusedEventArgs e = await refused.Task.WaitAsync(Bound);
        Assert.Equal("bs-dev", e.Endpoint);
        Assert.Equal(0, Volatile.Read(ref sessions));
    }

    [Fact]
    public async Task Plain_coap_may_not_bootstrap_an_endpoint_that_has_bootstrap_credentials_but_others_may()
    {
        using var bound = new CancellationTokenSource(Bound);
        await using CoapEndpoint plain = await CoapEndpoint.StartAsync(await UdpCoapTransport.BindAsync(new IPEndPoint(IPAddress.Loopback, 0)));
        CoapPeer server = _transport.CoapEndPoint!.Value;

        CoapResponse claimed = await plain.SendAsync(server, BootstrapRequest("bs-dev"), bound.Token);
        CoapResponse open = await plain.SendAsync(server, BootstrapRequest("nosec-dev"), bound.Token);

        Assert.Equal(CoapCode.Forbidden, claimed.Code);
        Assert.Contains("connect over DTLS", claimed.PayloadText, StringComparison.Ordinal);
        Assert.Equal(CoapCode.Changed, open.Code);
    }

    [Fact]
    public async Task A_wrong_bootstrap_key_fails_the_handshake_with_a_named_reason()
    {
        var serverSide = new TaskCompletionSource<DtlsHandshakeFailedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        _transport.Dtls!.HandshakeFailed += (_, e) => serverSide.TrySetResult(e);

        DtlsException error = await Assert.ThrowsAsync<DtlsException>(() => DtlsPeerAsync("bs-dev-id", OtherKey));

        Assert.Equal(DtlsErrorKind.DecryptError, error.Kind);
        Assert.Equal(DtlsErrorKind.DecryptError, (await serverSide.Task.WaitAsync(Bound)).Error.Kind);
    }

    [Fact]
    public async Task Options_security_store_takes_precedence_over_the_transports()
    {
        var own = new InMemorySecurityStore();
        await using Lwm2mBootstrapServer other = await Lwm2mBootstrapServer.StartAsync(
            await UdpCoapTransport.BindAsync(new IPEndPoint(IPAddress.Loopback, 0)), new Lwm2mBootstrapServerOptions { Security = own });

        await using Lwm2mBootstrapServer plain = await Lwm2mBootstrapServer.StartAsync(await UdpCoapTransport.BindAsync(new IPEndPoint(IPAddress.Loopback, 0)));

        Assert.Same(own, other.Security);
        Assert.Null(plain.Security);
    }
}
