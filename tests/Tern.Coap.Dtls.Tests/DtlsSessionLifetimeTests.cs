using System.Net;
using System.Net.Sockets;
using System.Text;
using Tern.Coap.Dtls.Tests.Support;
using Tern.Coap.Timing;

namespace Tern.Coap.Dtls.Tests;

/// <summary>Idle timeouts, reconnects, and a live session surviving garbage, forgeries and replays.</summary>
public sealed class DtlsSessionLifetimeTests
{
    private static readonly byte[] Key = Loopback.Key("00112233445566778899aabbccddeeff");

    private static DtlsServerTransport StartServer(TimeProvider? time = null, int maxHandshakes = 32, TimeSpan? handshakeTimeout = null, bool nativePsk = true) =>
        DtlsServerTransport.Bind(Loopback.AnyPort, new DtlsServerOptions
        {
            PskStore = new DtlsPskStore().Set("device-1", Key),
            TimeProvider = time ?? TimeProvider.System,
            MaxConcurrentHandshakes = maxHandshakes,
            HandshakeTimeout = handshakeTimeout ?? TimeSpan.FromSeconds(30),
            UseNativePsk = nativePsk,
        });

    [Fact]
    public async Task Idle_session_is_closed_and_the_next_send_opens_a_new_one()
    {
        using var bound = Loopback.SafetyBound();
        var clock = new VirtualTimeProvider();
        await using DtlsServerTransport server = StartServer();
        Task responder = RawCoap.RespondAsync(server, bound.Token);
        await using DtlsClientTransport client = await DtlsClientTransport.ConnectAsync(server.LocalEndPoint.EndPoint, new DtlsClientOptions
        {
            PskIdentity = "device-1",
            PskKey = Key,
            IdleTimeout = TimeSpan.FromMinutes(2),
            TimeProvider = clock,
        }, bound.Token);
        await RawCoap.RequestAsync(client, client.RemoteEndPoint, "before", bound.Token);

        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.True(client.IsConnected);
        clock.Advance(TimeSpan.FromMinutes(2));
        Assert.False(client.IsConnected);

        var response = await RawCoap.RequestAsync(client, client.RemoteEndPoint, "after", bound.Token);
        Assert.Equal("hello /after", Encoding.UTF8.GetString(response.Payload.Span));
        Assert.Equal(2, client.HandshakeCount);
        Assert.True(client.LastHandshakeResumed); // the native PSK engine issued a session id and resumed it
    }

    [Fact]
    public async Task Server_forgets_a_session_after_its_idle_timeout()
    {
        using var bound = Loopback.SafetyBound();
        var clock = new VirtualTimeProvider();
        await using DtlsServerTransport server = DtlsServerTransport.Bind(Loopback.AnyPort, new DtlsServerOptions
        {
            PskStore = new DtlsPskStore().Set("device-1", Key),
            IdleTimeout = TimeSpan.FromMinutes(5),
            TimeProvider = clock,
        });
        await using DtlsClientTransport client = await DtlsClientTransport.ConnectAsync(server.LocalEndPoint.EndPoint, DtlsPskTests.ClientOptions(), bound.Token);

        clock.Advance(TimeSpan.FromMinutes(4));
        Assert.Equal(1, server.PeerCount);
        clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(0, server.PeerCount);
    }

    [Fact]
    public async Task Handshake_with_a_silent_server_fails_with_a_timeout_at_the_virtual_deadline()
    {
        using var bound = Loopback.SafetyBound();
        var clock = new VirtualTimeProvider();
        using var blackHole = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        Task<DtlsClientTransport> connecting = DtlsClientTransport.ConnectAsync((IPEndPoint)blackHole.Client.LocalEndPoint!, new DtlsClientOptions
        {
            PskIdentity = "device-1",
            PskKey = Key,
            HandshakeTimeout = TimeSpan.FromSeconds(30),
            TimeProvider = clock,
        }, bound.Token).AsTask();
        await blackHole.ReceiveAsync(bound.Token); // the ClientHello went out
        Assert.False(connecting.IsCompleted);

        clock.Advance(TimeSpan.FromSeconds(31));

        var error = await Assert.ThrowsAsync<DtlsException>(() => connecting);
        Assert.Equal(DtlsErrorKind.HandshakeTimeout, error.Kind);
    }

    [Fact]
    public async Task Garbage_datagrams_to_the_server_port_do_not_disturb_a_live_session()
    {
        using var bound = Loopback.SafetyBound();
        await using DtlsServerTransport server = StartServer();
        Task responder = RawCoap.RespondAsync(server, bound.Token);
        await using DtlsClientTransport client = await DtlsClientTransport.ConnectAsync(server.LocalEndPoint.EndPoint, DtlsPskTests.ClientOptions(), bound.Token);
        using var attacker = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var random = new Random(7);

        for (int i = 0; i < 200; i++)
        {
            byte[] junk = new byte[random.Next(0, 300)];
            random.NextBytes(junk);
            if (i % 3 == 0 && junk.Length > 13)
            {
                junk[0] = 23; junk[1] = 0xFE; junk[2] = 0xFD; junk[3] = 0; junk[4] = 1; // looks like application data, epoch 1
            }

            await attacker.SendAsync(junk, server.LocalEndPoint.EndPoint, bound.Token);
        }

        var response = await RawCoap.RequestAsync(client, client.RemoteEndPoint, "still-alive", bound.Token);
        Assert.Equal("hello /still-alive", Encoding.UTF8.GetString(response.Payload.Span));
        Assert.Equal(1, server.PeerCount);
    }

    [Theory]
    [InlineData(DtlsCipherSuite.PskWithAes128Ccm8)] // failed with BouncyCastle's own CCM, which kept a forged record's bytes
    [InlineData(DtlsCipherSuite.PskWithAes128CbcSha256)]
    public async Task Forged_records_from_the_clients_own_address_are_dropped_and_the_session_lives_on(DtlsCipherSuite suite)
    {
        using var bound = Loopback.SafetyBound();
        await using DtlsServerTransport server = StartServer();
        Task responder = RawCoap.RespondAsync(server, bound.Token);
        await using DtlsClientTransport client = await DtlsClientTransport.ConnectAsync(server.LocalEndPoint.EndPoint, DtlsPskTests.ClientOptions(suite: suite), bound.Token);
        IPEndPoint clientAddress = client.LocalEndPointOnLoopback().EndPoint;
        var random = new Random(11);

        for (int i = 0; i < 50; i++)
        {
            byte[] forged = new byte[13 + 40];
            random.NextBytes(forged);
            forged[0] = (byte)(i % 2 == 0 ? 23 : 21); forged[1] = 0xFE; forged[2] = 0xFD; forged[3] = 0; forged[4] = 1;
            forged[11] = 0; forged[12] = 40;
            server.InjectDatagram(clientAddress, forged);
        }

        var response = await RawCoap.RequestAsync(client, client.RemoteEndPoint, "after-forgery", bound.Token);
        Assert.Equal("hello /after-forgery", Encoding.UTF8.GetString(response.Payload.Span));
        Assert.True(server.DroppedDatagrams >= 50);
    }

    [Fact]
    public async Task A_replayed_request_record_is_dropped_by_the_replay_window()
    {
        using var bound = Loopback.SafetyBound();
        await using DtlsServerTransport server = StartServer();
        await using DtlsClientTransport client = await DtlsClientTransport.ConnectAsync(server.LocalEndPoint.EndPoint, DtlsPskTests.ClientOptions(), bound.Token);
        var sent = new List<byte[]>();
        client.SentDatagramTap = d => { lock (sent) { sent.Add(d); } };
        byte[] buffer = new byte[2048];

        await client.SendAsync(client.RemoteEndPoint, RawCoap.Get("once"), bound.Token);
        var first = await server.ReceiveAsync(buffer, bound.Token);
        Assert.Equal("/once", RawCoap.Parse(buffer.AsSpan(0, first.Length)).UriPath);

        byte[] record;
        lock (sent)
        {
            record = sent[^1];
        }

        server.InjectDatagram(first.Peer.EndPoint, record);
        server.InjectDatagram(first.Peer.EndPoint, record);
        await client.SendAsync(client.RemoteEndPoint, RawCoap.Get("twice"), bound.Token);

        var next = await server.ReceiveAsync(buffer, bound.Token);
        Assert.Equal("/twice", RawCoap.Parse(buffer.AsSpan(0, next.Length)).UriPath);
    }

    [Fact]
    public async Task A_flood_of_client_hellos_from_many_ports_is_held_to_the_handshake_limit_on_bouncy_castle()
    {
        using var bound = Loopback.SafetyBound();
        var clock = new VirtualTimeProvider();
        // BouncyCastle sends no cookie, so each hello starts a handshake: the limit is what bounds the state.
        await using DtlsServerTransport server = StartServer(clock, maxHandshakes: 8, handshakeTimeout: TimeSpan.FromSeconds(20), nativePsk: false);
        Task responder = RawCoap.RespondAsync(server, bound.Token);
        byte[] hello = await CaptureClientHelloAsync(bound.Token);

        for (int port = 20000; port < 20500; port++)
        {
            server.InjectDatagram(new IPEndPoint(IPAddress.Loopback, port), hello);
            Assert.True(server.PeerCount <= 8, $"{server.PeerCount} peers after the hello from port {port}");
        }

        Assert.Equal(8, server.HandshakesInProgress);
        Assert.Equal(492, server.DroppedHellos);

        clock.Advance(TimeSpan.FromSeconds(21)); // every flooded handshake passes its deadline and is freed
        await using DtlsClientTransport client = await DtlsClientTransport.ConnectAsync(server.LocalEndPoint.EndPoint, DtlsPskTests.ClientOptions(), bound.Token);
        var response = await RawCoap.RequestAsync(client, client.RemoteEndPoint, "after-flood", bound.Token);
        Assert.Equal("hello /after-flood", Encoding.UTF8.GetString(response.Payload.Span));
    }

    private static async Task<byte[]> CaptureClientHelloAsync(CancellationToken cancellationToken)
    {
        using var blackHole = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var options = new DtlsClientOptions { PskIdentity = "device-1", PskKey = Key };
        Task<DtlsClientTransport> connecting = DtlsClientTransport.ConnectAsync((IPEndPoint)blackHole.Client.LocalEndPoint!, options, stop.Token).AsTask();
        UdpReceiveResult first = await blackHole.ReceiveAsync(cancellationToken);
        stop.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => connecting);
        return first.Buffer;
    }
}
