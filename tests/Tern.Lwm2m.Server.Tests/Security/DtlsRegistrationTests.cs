using System.Net;
using Tern.Coap.Dtls;
using Tern.Coap.Endpoint;
using Tern.Coap.Messages;
using Tern.Coap.Transport;
using Tern.Coap.Transport.Udp;
using Tern.Lwm2m.Client;
using Tern.Lwm2m.Client.Configuration;
using Tern.Lwm2m.Client.Engine;
using Tern.Lwm2m.Server.Registrations;

namespace Tern.Lwm2m.Server.Security;

/// <summary>
/// A Tern server listening on plain CoAP and on DTLS (PSK) over real loopback sockets, with a Tern client and raw
/// CoAP peers. DTLS needs real sockets; every wait is bounded only as a safety net against a hang.
/// </summary>
public sealed class DtlsRegistrationTests : IAsyncLifetime
{
    private static readonly byte[] Key = Convert.FromHexString("00112233445566778899aabbccddeeff");
    private static readonly byte[] OtherKey = Convert.FromHexString("ffeeddccbbaa99887766554433221100");
    private static readonly TimeSpan Bound = DtlsWaits.Bound;

    private readonly InMemorySecurityStore _security = new();
    private Lwm2mServer _server = null!;
    private Lwm2mServerTransport _transport = null!;

    public async Task InitializeAsync()
    {
        Assert.True(_security.TryPut(SecurityInfo.ForPsk("dtls-dev", "dtls-id", Key), out _));
        Assert.True(_security.TryPut(SecurityInfo.ForPsk("other-dev", "other-id", OtherKey), out _));
        _transport = await Lwm2mServerTransport.BindAsync(new Lwm2mServerTransportOptions
        {
            CoapEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            CoapsEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            Security = _security,
            HandshakeTimeout = TimeSpan.FromSeconds(10),
        });
        _server = await Lwm2mServer.StartAsync(_transport);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private string CoapsUri => $"coaps://127.0.0.1:{_transport.CoapsEndPoint!.Value.EndPoint.Port}";

    private Lwm2mClientConfiguration PskConfiguration(string identity, byte[] key) => new(
        [new Lwm2mSecurityInstance(0, CoapsUri, false, Lwm2mSecurityMode.PreSharedKey)
        {
            ShortServerId = 1,
            PublicKeyOrIdentity = System.Text.Encoding.UTF8.GetBytes(identity),
            SecretKey = key,
        }],
        [new Lwm2mServerInstance(0, 1, TimeSpan.FromSeconds(300))]);

    private static Lwm2mClientOptions ClientOptions(string endpoint) =>
        new(endpoint) { Objects = [new Lwm2mObjectAdvert(3, null, [0])] };

    private async Task<CoapEndpoint> RawDtlsPeerAsync(string identity, byte[] key)
    {
        DtlsClientTransport dtls = await DtlsClientTransport.ConnectAsync(_transport.CoapsEndPoint!.Value.EndPoint,
            new DtlsClientOptions { PskIdentity = identity, PskKey = key, HandshakeTimeout = TimeSpan.FromSeconds(10) });
        return await CoapEndpoint.StartAsync(dtls);
    }

    [Fact]
    public async Task Tern_client_registers_over_dtls_psk_and_deregisters_when_stopped()
    {
        Lwm2mClientConfiguration configuration = PskConfiguration("dtls-id", Key);
        await using Lwm2mClientTransport transport = await Lwm2mClientTransport.CreateAsync(configuration);
        await using var client = new Lwm2mClient(configuration, ClientOptions("dtls-dev"), transport.Endpoint, resolvePeer: transport.ResolvePeerAsync);
        client.ConnectionClosed += transport.CloseConnection;
        Task<RegistrationEventArgs> registered = DtlsWaits.Next<RegistrationEventArgs>(h => _server.Registered += h);
        Task<RegistrationEventArgs> deregistered = DtlsWaits.Next<RegistrationEventArgs>(h => _server.Deregistered += h);

        await client.StartAsync();
        Registration registration = (await registered).Registration;
        Assert.True(_server.TryGetDtlsPeer(registration.Peer, out DtlsPeerInfo? proven));
        await DtlsWaits.NextEventAsync<Lwm2mRegistered>(client); // the client, too, has seen the 2.01
        bool connectedWhileRegistered = transport.Dtls!.IsConnected;
        await client.StopAsync(deregister: true, new CancellationTokenSource(Bound).Token);
        await deregistered;

        Assert.True(transport.IsSecure);
        Assert.Equal("dtls-dev", registration.Endpoint);
        Assert.Equal("dtls-id", proven!.PskIdentity);
        Assert.Equal(DtlsCipherSuite.PskWithAes128Ccm8, proven.CipherSuite);
        Assert.Null(await _server.GetRegistrationAsync("dtls-dev"));
        Assert.True(connectedWhileRegistered);
        Assert.False(transport.Dtls.IsConnected); // the lifecycle closed the connection after Deregister: close_notify sent
    }

    [Fact]
    public async Task Tern_client_with_a_wrong_key_fails_the_handshake_and_is_never_registered()
    {
        Lwm2mClientConfiguration configuration = PskConfiguration("dtls-id", OtherKey);
        await using Lwm2mClientTransport transport = await Lwm2mClientTransport.CreateAsync(configuration);
        Task<DtlsException> clientSide = DtlsWaits.Next<DtlsException>(h => transport.Dtls!.HandshakeFailed += h);
        Task<DtlsHandshakeFailedEventArgs> serverSide = DtlsWaits.Next<DtlsHandshakeFailedEventArgs>(h => _transport.Dtls!.HandshakeFailed += h);
        await using var client = new Lwm2mClient(configuration, ClientOptions("dtls-dev"), transport.Endpoint, resolvePeer: transport.ResolvePeerAsync);

        await client.StartAsync();

        Assert.Equal(DtlsErrorKind.DecryptError, (await clientSide).Kind);
        Assert.Equal(DtlsErrorKind.DecryptError, (await serverSide).Error.Kind);
        Assert.Null(await _server.GetRegistrationAsync("dtls-dev"));
        Assert.Empty(await _server.GetRegistrationsAsync());
    }

    [Fact]
    public async Task Tern_client_using_the_identity_of_another_endpoint_is_refused_with_forbidden()
    {
        Lwm2mClientConfiguration configuration = PskConfiguration("other-id", OtherKey);
        await using Lwm2mClientTransport transport = await Lwm2mClientTransport.CreateAsync(configuration);
        await using var client = new Lwm2mClient(configuration, ClientOptions("dtls-dev"), transport.Endpoint, resolvePeer: transport.ResolvePeerAsync);

        await client.StartAsync();
        Lwm2mClientEvent refusal = await DtlsWaits.NextEventAsync<Lwm2mClientEvent>(client, e => e is Lwm2mRegistrationDeferred or Lwm2mRegistrationFailed);

        Assert.Equal(Lwm2mDeferredReason.ServerRegistration, Assert.IsType<Lwm2mRegistrationDeferred>(refusal).Reason);
        Assert.Empty(await _server.GetRegistrationsAsync());
    }

    [Fact]
    public async Task Register_under_another_endpoints_identity_answers_4_03()
    {
        await using CoapEndpoint peer = await RawDtlsPeerAsync("other-id", OtherKey);

        CoapResponse response = await peer.SendAsync(_transport.CoapsEndPoint!.Value, ServerFixture.Register("ep=dtls-dev&lt=300", "</3/0>"), new CancellationTokenSource(Bound).Token);

        Assert.Equal(CoapCode.Forbidden, response.Code);
        Assert.Contains("other-id", System.Text.Encoding.UTF8.GetString(response.Payload.Span), StringComparison.Ordinal);
        Assert.Null(await _server.GetRegistrationAsync("dtls-dev"));
    }

    [Fact]
    public async Task Update_and_deregister_from_another_identity_answer_4_03_and_keep_the_registration()
    {
        using var bound = new CancellationTokenSource(Bound);
        await using CoapEndpoint owner = await RawDtlsPeerAsync("dtls-id", Key);
        await using CoapEndpoint intruder = await RawDtlsPeerAsync("other-id", OtherKey);
        CoapResponse created = await owner.SendAsync(_transport.CoapsEndPoint!.Value, ServerFixture.Register("ep=dtls-dev&lt=300", "</3/0>"), bound.Token);
        string location = "/" + string.Join('/', created.Message.GetOptions(CoapOptionNumber.LocationPath).Select(o => o.GetString()));

        var update = new CoapMessage { Type = CoapMessageType.Confirmable, Code = CoapCode.Post }.SetUriPath(location);
        var delete = new CoapMessage { Type = CoapMessageType.Confirmable, Code = CoapCode.Delete }.SetUriPath(location);
        CoapResponse updated = await intruder.SendAsync(_transport.CoapsEndPoint!.Value, update, bound.Token);
        CoapResponse deleted = await intruder.SendAsync(_transport.CoapsEndPoint!.Value, delete, bound.Token);

        Assert.Equal(CoapCode.Created, created.Code);
        Assert.Equal(CoapCode.Forbidden, updated.Code);
        Assert.Equal(CoapCode.Forbidden, deleted.Code);
        Assert.NotNull(await _server.GetRegistrationAsync("dtls-dev"));
    }

    [Fact]
    public async Task Plain_coap_may_not_claim_an_endpoint_that_has_credentials_but_others_register()
    {
        using var bound = new CancellationTokenSource(Bound);
        await using CoapEndpoint plain = await CoapEndpoint.StartAsync(await UdpCoapTransport.BindAsync(new IPEndPoint(IPAddress.Loopback, 0)));
        CoapPeer server = _transport.CoapEndPoint!.Value;

        CoapResponse claimed = await plain.SendAsync(server, ServerFixture.Register("ep=dtls-dev&lt=300", "</3/0>"), bound.Token);
        CoapResponse open = await plain.SendAsync(server, ServerFixture.Register("ep=nosec-dev&lt=300", "</3/0>"), bound.Token);

        Assert.Equal(CoapCode.Forbidden, claimed.Code);
        Assert.Equal(CoapCode.Created, open.Code);
        Assert.Null(await _server.GetRegistrationAsync("dtls-dev"));
        Registration nosec = (await _server.GetRegistrationAsync("nosec-dev"))!;
        Assert.False(_server.TryGetDtlsPeer(nosec.Peer, out _));
    }

    [Fact]
    public async Task A_psk_added_to_the_store_while_running_is_accepted_at_once()
    {
        Assert.True(_security.TryPut(SecurityInfo.ForPsk("late-dev", "late-id", Key), out _));
        await using CoapEndpoint peer = await RawDtlsPeerAsync("late-id", Key);

        CoapResponse created = await peer.SendAsync(_transport.CoapsEndPoint!.Value, ServerFixture.Register("ep=late-dev&lt=300", "</3/0>"), new CancellationTokenSource(Bound).Token);

        Assert.Equal(CoapCode.Created, created.Code);
    }
}
