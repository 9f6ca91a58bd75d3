using System.Net;
using System.Text;
using Tern.Coap.Dtls;
using Tern.Coap.Timing;
using Tern.Lwm2m.Client;
using Tern.Lwm2m.Client.Configuration;
using Tern.Lwm2m.Client.Engine;
using Tern.Lwm2m.Server.Registrations;

namespace Tern.Lwm2m.Server.Security;

/// <summary>
/// Seed 002's session idle timeout at the LwM2M level: a Tern client whose DTLS session closes after inactivity and
/// reopens for its next Update, and a Tern server that forgets idle DTLS peers. The idle timers run on virtual clocks
/// (one for the client, one for the server's DTLS listener); the handshakes need real loopback sockets.
/// </summary>
public sealed class DtlsIdleTimeoutTests : IAsyncLifetime
{
    private static readonly byte[] Key = Convert.FromHexString("11223344556677881122334455667788");

    private readonly VirtualTimeProvider _clientClock = new();
    private readonly VirtualTimeProvider _serverDtlsClock = new();
    private readonly InMemorySecurityStore _security = new();
    private Lwm2mServerTransport _transport = null!;
    private Lwm2mServer _server = null!;

    public async Task InitializeAsync()
    {
        Assert.True(_security.TryPut(SecurityInfo.ForPsk("idle-dev", "idle-id", Key), out _));
        _transport = await Lwm2mServerTransport.BindAsync(new Lwm2mServerTransportOptions
        {
            CoapsEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            Security = _security,
            IdleTimeout = TimeSpan.FromMinutes(5),
            TimeProvider = _serverDtlsClock,
        });
        _server = await Lwm2mServer.StartAsync(_transport); // registrations on the system clock: moving the DTLS clock expires nothing
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private Lwm2mClientConfiguration Configuration => new(
        [new Lwm2mSecurityInstance(0, $"coaps://127.0.0.1:{_transport.CoapsEndPoint!.Value.EndPoint.Port}", false, Lwm2mSecurityMode.PreSharedKey)
        {
            ShortServerId = 1,
            PublicKeyOrIdentity = Encoding.UTF8.GetBytes("idle-id"),
            SecretKey = Key,
        }],
        [new Lwm2mServerInstance(0, 1, TimeSpan.FromHours(1))]);

    private async Task<(Lwm2mClientTransport Transport, Lwm2mClient Client)> RegisterAsync(TimeSpan? clientIdle)
    {
        Lwm2mClientTransport transport = await Lwm2mClientTransport.CreateAsync(Configuration, new Lwm2mClientTransportOptions { IdleTimeout = clientIdle, Time = _clientClock });
        var client = new Lwm2mClient(Configuration, new Lwm2mClientOptions("idle-dev") { Objects = [new Lwm2mObjectAdvert(3, null, [0])] }, transport.Endpoint, _clientClock,
            resolvePeer: transport.ResolvePeerAsync);
        client.ConnectionClosed += transport.CloseConnection;
        await client.StartAsync();
        await DtlsWaits.NextEventAsync<Lwm2mRegistered>(client);
        return (transport, client);
    }

    [Fact]
    public async Task Client_session_closes_after_its_idle_timeout_and_the_next_update_resumes_it_with_an_abbreviated_handshake()
    {
        (Lwm2mClientTransport transport, Lwm2mClient client) = await RegisterAsync(TimeSpan.FromSeconds(60));
        await using Lwm2mClientTransport ownedTransport = transport;
        await using Lwm2mClient ownedClient = client;
        DtlsClientTransport dtls = transport.Dtls!;
        Assert.True(dtls.IsConnected);
        Assert.Equal(1, dtls.HandshakeCount);

        _clientClock.Advance(TimeSpan.FromSeconds(45));
        bool openBeforeTimeout = dtls.IsConnected;
        _clientClock.Advance(TimeSpan.FromSeconds(30));
        bool openAfterTimeout = dtls.IsConnected;
        Task<RegistrationEventArgs> updated = DtlsWaits.Next<RegistrationEventArgs>(h => _server.Updated += h);
        await client.TriggerUpdateAsync();
        Registration registration = (await updated).Registration;

        Assert.True(openBeforeTimeout);
        Assert.False(openAfterTimeout);
        Assert.Equal(2, dtls.HandshakeCount);
        Assert.True(dtls.LastHandshakeResumed); // the session the idle timer closed, not a new one
        Assert.Equal(1, _transport.Dtls!.SessionsResumed);
        Assert.True(dtls.IsConnected);
        Assert.Equal("idle-dev", registration.Endpoint);
        Assert.True(_server.TryGetDtlsPeer(registration.Peer, out DtlsPeerInfo? proven));
        Assert.Equal("idle-id", proven!.PskIdentity);
    }

    [Fact]
    public async Task Without_an_idle_timeout_the_client_session_stays_open()
    {
        (Lwm2mClientTransport transport, Lwm2mClient client) = await RegisterAsync(clientIdle: null);
        await using Lwm2mClientTransport ownedTransport = transport;
        await using Lwm2mClient ownedClient = client;

        _clientClock.Advance(TimeSpan.FromMinutes(10));

        Assert.True(transport.Dtls!.IsConnected);
        Assert.Equal(1, transport.Dtls.HandshakeCount);
    }

    [Fact]
    public async Task Server_forgets_an_idle_dtls_peer_and_a_returning_device_handshakes_again()
    {
        (Lwm2mClientTransport transport, Lwm2mClient client) = await RegisterAsync(clientIdle: null);
        await using Lwm2mClientTransport ownedTransport = transport;
        await using Lwm2mClient ownedClient = client;
        int peersWhileActive = _transport.Dtls!.PeerCount;

        // The device goes silent (a dead device sends no close_notify): only the server's idle timeout frees its state.
        _serverDtlsClock.Advance(TimeSpan.FromMinutes(4));
        int peersBeforeTimeout = _transport.Dtls.PeerCount;
        _serverDtlsClock.Advance(TimeSpan.FromMinutes(2));
        int peersAfterTimeout = _transport.Dtls.PeerCount;
        bool stillRegistered = await _server.GetRegistrationAsync("idle-dev") is not null;
        (Lwm2mClientTransport returnedTransport, Lwm2mClient returned) = await RegisterAsync(clientIdle: null); // the device restarts
        await using Lwm2mClientTransport ownedReturnedTransport = returnedTransport;
        await using Lwm2mClient ownedReturned = returned;

        Assert.Equal((1, 1, 0), (peersWhileActive, peersBeforeTimeout, peersAfterTimeout));
        Assert.True(stillRegistered); // forgetting DTLS state is not deregistering
        Assert.Equal(1, _transport.Dtls.PeerCount);
        Registration registration = (await _server.GetRegistrationAsync("idle-dev"))!;
        Assert.Equal(returnedTransport.Dtls!.LocalEndPoint.EndPoint.Port, registration.Peer.EndPoint.Port);
    }
}
