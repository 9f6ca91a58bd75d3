using System.Net;
using System.Net.Sockets;
using System.Text;
using Tern.Coap.Dtls.Tests.Support;

namespace Tern.Coap.Dtls.Tests.Native;

/// <summary>
/// The stateless cookie, the handshake limit and lost flights for certificate hellos, watched on the wire:
/// <code>
///   ClientHello(ECDHE_ECDSA)  ──▶   (no state kept)
///                             ◀──   HelloVerifyRequest(cookie)
///   ClientHello(cookie)       ──▶   (peer admitted, handshake counted)
///                             ◀──   ServerHello, Certificate, ServerKeyExchange, CertificateRequest, ServerHelloDone
/// </code>
/// </summary>
public sealed class NativeCertificateCookieTests
{
    private static Task<byte[]> CaptureHelloAsync(CancellationToken cancellationToken) =>
        RawDtls.CaptureClientHelloAsync(NativeCertificateSessionTests.ClientOptions(), cancellationToken);

    [Fact]
    public async Task First_certificate_hello_gets_a_hello_verify_request_and_leaves_no_peer_and_the_cookied_one_gets_the_certificate_flight()
    {
        using var bound = Loopback.SafetyBound();
        await using DtlsServerTransport server = NativeCertificateSessionTests.StartServer();
        byte[] hello = await CaptureHelloAsync(bound.Token);
        using var client = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));

        await client.SendAsync(hello, server.LocalEndPoint.EndPoint, bound.Token);
        byte[] verify = (await client.ReceiveAsync(bound.Token)).Buffer;

        Assert.Equal(3, RawDtls.FirstHandshakeType(verify));
        Assert.Equal(0, server.PeerCount);
        Assert.Equal(0, server.HandshakesInProgress);
        Assert.Equal(1, server.HelloVerifyRequestsSent);

        await client.SendAsync(RawDtls.WithCookie(hello, RawDtls.CookieOf(verify)), server.LocalEndPoint.EndPoint, bound.Token);
        byte[] flight = (await client.ReceiveAsync(bound.Token)).Buffer;

        Assert.Equal([2, 11, 12, 13, 14], RawDtls.Contents(flight)); // ServerHello, Certificate, ServerKeyExchange, CertificateRequest, ServerHelloDone
        Assert.Equal(1, server.PeerCount);
        Assert.Equal(1, server.HandshakesInProgress);
    }

    [Fact]
    public async Task A_flood_of_uncookied_certificate_hellos_keeps_no_state_and_a_real_client_still_connects()
    {
        using var bound = Loopback.SafetyBound();
        await using DtlsServerTransport server = NativeCertificateSessionTests.StartServer(maxHandshakes: 8);
        Task responder = RawCoap.RespondAsync(server, bound.Token);
        byte[] hello = await CaptureHelloAsync(bound.Token);

        for (int port = 20000; port < 22000; port++)
        {
            server.InjectDatagram(new IPEndPoint(IPAddress.Loopback, port), hello);
        }

        Assert.Equal(0, server.PeerCount);
        Assert.Equal(0, server.HandshakesInProgress);
        Assert.Equal(2000, server.HelloVerifyRequestsSent);

        await using DtlsClientTransport client = await DtlsClientTransport.ConnectAsync(server.LocalEndPoint.EndPoint,
            NativeCertificateSessionTests.ClientOptions(), bound.Token);
        var response = await RawCoap.RequestAsync(client, client.RemoteEndPoint, "after-flood", bound.Token);
        Assert.Equal("hello /after-flood", Encoding.UTF8.GetString(response.Payload.Span));
    }

    [Fact]
    public async Task Cookied_certificate_hellos_beyond_the_handshake_limit_are_dropped_unanswered()
    {
        using var bound = Loopback.SafetyBound();
        await using DtlsServerTransport server = NativeCertificateSessionTests.StartServer(maxHandshakes: 3);
        byte[] hello = await CaptureHelloAsync(bound.Token);
        await CookiedHellos.SendAsync(server, hello, clients: 6, bound.Token);

        Assert.Equal(3, server.HandshakesInProgress);
        Assert.Equal(3, server.PeerCount);
        Assert.Equal(3, server.DroppedHellos);
    }

    [Fact]
    public async Task Certificate_handshake_completes_when_the_servers_certificate_flight_and_its_finished_flight_are_each_lost_once()
    {
        using var bound = Loopback.SafetyBound();
        await using DtlsServerTransport server = NativeCertificateSessionTests.StartServer();

        (string response, bool bothDropped, List<List<int>> fromServer) = await LostFlights.RunAsync(
            server, NativeCertificateSessionTests.ClientOptions(), 11, "lossy-cert", bound.Token);

        Assert.Equal("hello /lossy-cert", response);
        Assert.True(bothDropped);
        Assert.True(fromServer.Count(c => c.Contains(11)) >= 2);         // the certificate flight again
        Assert.True(fromServer.Count(c => c.Contains(LostFlights.ChangeCipherSpec)) >= 2);  // CCS + Finished again, on the client's repeated flight
    }

    [Fact]
    public async Task A_server_chain_too_long_for_one_datagram_is_sent_in_fragments_of_at_most_1200_bytes()
    {
        using var bound = Loopback.SafetyBound();
        TestIdentity ca = NativeCertificateSessionTests.Ca;
        // The CA repeated pads the chain past one datagram; path validation stops at the first trusted certificate.
        await using DtlsServerTransport server = DtlsServerTransport.Bind(Loopback.AnyPort, new DtlsServerOptions
        {
            Certificate = NativeCertificateSessionTests.ServerIdentity.Credentials(ca.Certificate, ca.Certificate, ca.Certificate, ca.Certificate),
            TrustedClientCertificates = [ca.Certificate],
        });
        Task responder = RawCoap.RespondAsync(server, bound.Token);
        await using var relay = new LossyRelay(server.LocalEndPoint.EndPoint, (_, _, _) => false);

        await using DtlsClientTransport client = await DtlsClientTransport.ConnectAsync(relay.EndPoint, NativeCertificateSessionTests.ClientOptions(), bound.Token);
        var response = await RawCoap.RequestAsync(client, client.RemoteEndPoint, "fragmented", bound.Token);

        Assert.Equal("hello /fragmented", Encoding.UTF8.GetString(response.Payload.Span));
        List<byte[]> fromServer;
        lock (relay.Log)
        {
            fromServer = [.. relay.Log.Where(e => !e.ToServer).Select(e => e.Datagram)];
        }

        List<byte[]> certificateDatagrams = [.. fromServer.Where(d => RawDtls.Contents(d).Contains(11))];
        Assert.True(certificateDatagrams.Count >= 2, $"{certificateDatagrams.Count} datagrams carry Certificate fragments");
        Assert.All(fromServer, d => Assert.InRange(d.Length, 1, 1200));
    }
}
