using System.Net;
using System.Net.Sockets;
using Tern.Coap.Dtls.Tests.Support;
using Tern.Coap.Timing;

namespace Tern.Coap.Dtls.Tests.Native;

/// <summary>
/// The native engine's stateless cookie exchange, watched on the wire with a raw UDP socket:
/// <code>
///   ClientHello            ──▶   (no state kept)
///                          ◀──   HelloVerifyRequest(cookie)
///   ClientHello(cookie)    ──▶   (peer admitted, handshake counted)
///                          ◀──   ServerHello, ServerHelloDone
/// </code>
/// </summary>
public sealed class NativePskCookieTests
{
    private static readonly byte[] Key = Loopback.Key("00112233445566778899aabbccddeeff");

    private static DtlsServerTransport StartServer(TimeProvider? time = null, int maxHandshakes = 32, TimeSpan? handshakeTimeout = null) =>
        DtlsServerTransport.Bind(Loopback.AnyPort, new DtlsServerOptions
        {
            PskStore = new DtlsPskStore().Set("device-1", Key),
            TimeProvider = time ?? TimeProvider.System,
            MaxConcurrentHandshakes = maxHandshakes,
            HandshakeTimeout = handshakeTimeout ?? TimeSpan.FromSeconds(30),
        });

    [Fact]
    public async Task First_client_hello_gets_a_hello_verify_request_and_only_the_cookied_one_creates_a_peer()
    {
        using var bound = Loopback.SafetyBound();
        await using DtlsServerTransport server = StartServer();
        byte[] hello = await RawDtls.CaptureClientHelloAsync(DtlsPskTests.ClientOptions(), bound.Token);
        using var client = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));

        await client.SendAsync(hello, server.LocalEndPoint.EndPoint, bound.Token);
        byte[] verify = (await client.ReceiveAsync(bound.Token)).Buffer;

        Assert.Equal(3, RawDtls.FirstHandshakeType(verify));
        Assert.Equal([0xFE, 0xFF], verify.AsSpan(25, 2).ToArray()); // server_version DTLS 1.0, as RFC 6347 §4.2.1 recommends
        Assert.Equal(16, RawDtls.CookieOf(verify).Length);
        Assert.Equal(0, server.PeerCount);
        Assert.Equal(0, server.HandshakesInProgress);
        Assert.Equal(1, server.HelloVerifyRequestsSent);

        await client.SendAsync(RawDtls.WithCookie(hello, RawDtls.CookieOf(verify)), server.LocalEndPoint.EndPoint, bound.Token);
        byte[] flight = (await client.ReceiveAsync(bound.Token)).Buffer;

        Assert.Equal([2, 14], RawDtls.Contents(flight)); // ServerHello, ServerHelloDone
        Assert.Equal(1, server.PeerCount);
        Assert.Equal(1, server.HandshakesInProgress);
    }

    [Fact]
    public async Task A_cookie_is_refused_from_another_port_and_for_a_changed_hello()
    {
        using var bound = Loopback.SafetyBound();
        await using DtlsServerTransport server = StartServer();
        byte[] hello = await RawDtls.CaptureClientHelloAsync(DtlsPskTests.ClientOptions(), bound.Token);
        using var client = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        using var other = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        await client.SendAsync(hello, server.LocalEndPoint.EndPoint, bound.Token);
        byte[] cookie = RawDtls.CookieOf((await client.ReceiveAsync(bound.Token)).Buffer);

        await other.SendAsync(RawDtls.WithCookie(hello, cookie), server.LocalEndPoint.EndPoint, bound.Token);
        Assert.Equal(3, RawDtls.FirstHandshakeType((await other.ReceiveAsync(bound.Token)).Buffer));

        byte[] changed = RawDtls.WithCookie(hello, cookie);
        changed[13 + 12 + 2] ^= 1; // one bit of the client random
        await client.SendAsync(changed, server.LocalEndPoint.EndPoint, bound.Token);
        Assert.Equal(3, RawDtls.FirstHandshakeType((await client.ReceiveAsync(bound.Token)).Buffer));

        Assert.Equal(0, server.PeerCount);
        Assert.Equal(3, server.HelloVerifyRequestsSent);
    }

    [Fact]
    public async Task A_flood_of_uncookied_hellos_from_many_ports_leaves_no_state_and_a_real_client_still_connects()
    {
        using var bound = Loopback.SafetyBound();
        await using DtlsServerTransport server = StartServer(maxHandshakes: 8);
        Task responder = RawCoap.RespondAsync(server, bound.Token);
        byte[] hello = await RawDtls.CaptureClientHelloAsync(DtlsPskTests.ClientOptions(), bound.Token);

        for (int port = 20000; port < 22000; port++)
        {
            server.InjectDatagram(new IPEndPoint(IPAddress.Loopback, port), hello);
        }

        Assert.Equal(0, server.PeerCount);
        Assert.Equal(0, server.HandshakesInProgress);
        Assert.Equal(2000, server.HelloVerifyRequestsSent);

        await using DtlsClientTransport client = await DtlsClientTransport.ConnectAsync(server.LocalEndPoint.EndPoint, DtlsPskTests.ClientOptions(), bound.Token);
        var response = await RawCoap.RequestAsync(client, client.RemoteEndPoint, "after-flood", bound.Token);
        Assert.Equal("hello /after-flood", System.Text.Encoding.UTF8.GetString(response.Payload.Span));
    }

    [Fact]
    public async Task Cookied_hellos_beyond_the_handshake_limit_are_dropped_unanswered()
    {
        using var bound = Loopback.SafetyBound();
        await using DtlsServerTransport server = StartServer(maxHandshakes: 3);
        byte[] hello = await RawDtls.CaptureClientHelloAsync(DtlsPskTests.ClientOptions(), bound.Token);
        await CookiedHellos.SendAsync(server, hello, clients: 6, bound.Token);

        Assert.Equal(3, server.HandshakesInProgress);
        Assert.Equal(3, server.PeerCount);
        Assert.Equal(3, server.DroppedHellos);
    }

    [Fact]
    public async Task Server_resends_its_flight_on_its_timer_and_on_a_retransmitted_hello_then_gives_up_at_the_deadline()
    {
        using var bound = Loopback.SafetyBound();
        var clock = new VirtualTimeProvider();
        await using DtlsServerTransport server = StartServer(clock, handshakeTimeout: TimeSpan.FromSeconds(10));
        var failures = new List<DtlsErrorKind>();
        server.HandshakeFailed += (_, e) => { lock (failures) { failures.Add(e.Error.Kind); } };
        byte[] hello = await RawDtls.CaptureClientHelloAsync(DtlsPskTests.ClientOptions(), bound.Token);
        using var client = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        await client.SendAsync(hello, server.LocalEndPoint.EndPoint, bound.Token);
        byte[] cookied = RawDtls.WithCookie(hello, RawDtls.CookieOf((await client.ReceiveAsync(bound.Token)).Buffer));
        await client.SendAsync(cookied, server.LocalEndPoint.EndPoint, bound.Token);
        byte[] first = (await client.ReceiveAsync(bound.Token)).Buffer;

        clock.Advance(TimeSpan.FromSeconds(1));
        byte[] second = (await client.ReceiveAsync(bound.Token)).Buffer;
        await client.SendAsync(cookied, server.LocalEndPoint.EndPoint, bound.Token);
        byte[] third = (await client.ReceiveAsync(bound.Token)).Buffer;

        Assert.Equal(RawDtls.Contents(first), RawDtls.Contents(second));
        Assert.Equal(RawDtls.Contents(first), RawDtls.Contents(third));
        Assert.NotEqual(first.AsSpan(5, 6).ToArray(), second.AsSpan(5, 6).ToArray()); // a new record sequence number
        Assert.Equal(1, server.PeerCount);

        clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(0, server.PeerCount);
        Assert.Equal(0, server.HandshakesInProgress);
        Assert.Equal([DtlsErrorKind.HandshakeTimeout], failures);
    }
}
