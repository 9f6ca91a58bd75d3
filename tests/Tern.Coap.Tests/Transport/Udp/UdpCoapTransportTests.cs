using System.Net;
using System.Net.Sockets;
using Tern.Coap.Transport;
using Tern.Coap.Transport.Udp;

namespace Tern.Coap.Tests.Transport.Udp;

public class UdpCoapTransportTests
{
    // A safety net so a broken transport fails the test instead of hanging it; never reached when things work.
    private static readonly TimeSpan Safety = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Datagram_sent_over_IPv4_loopback_arrives_with_its_sender_and_bytes()
    {
        await using UdpCoapTransport a = await UdpCoapTransport.BindAsync(new IPEndPoint(IPAddress.Loopback, 0));
        await using UdpCoapTransport b = await UdpCoapTransport.BindAsync(new IPEndPoint(IPAddress.Loopback, 0));

        await a.SendAsync(b.LocalEndPoint, new byte[] { 0x40, 0x01, 0x12, 0x34 });
        CoapDatagram received = await ReceiveAsync(b, out byte[] buffer);

        Assert.Equal(a.LocalEndPoint, received.Peer);
        Assert.Equal(new byte[] { 0x40, 0x01, 0x12, 0x34 }, buffer[..received.Length]);
        Assert.False(received.Truncated);
    }

    [Fact]
    public async Task Datagram_sent_over_IPv6_loopback_arrives_with_its_sender_and_bytes()
    {
        await using UdpCoapTransport a = await UdpCoapTransport.BindAsync(new IPEndPoint(IPAddress.IPv6Loopback, 0));
        await using UdpCoapTransport b = await UdpCoapTransport.BindAsync(new IPEndPoint(IPAddress.IPv6Loopback, 0));

        await a.SendAsync(b.LocalEndPoint, new byte[] { 0x50, 0x02, 0xAB, 0xCD, 0xFF, 0x68, 0x69 });
        CoapDatagram received = await ReceiveAsync(b, out byte[] buffer);

        Assert.Equal(AddressFamily.InterNetworkV6, received.Peer.EndPoint.AddressFamily);
        Assert.Equal(a.LocalEndPoint, received.Peer);
        Assert.Equal(new byte[] { 0x50, 0x02, 0xAB, 0xCD, 0xFF, 0x68, 0x69 }, buffer[..received.Length]);
    }

    [Fact]
    public async Task Dual_mode_socket_sees_IPv4_peers_as_plain_IPv4_and_answers_them()
    {
        await using UdpCoapTransport server = await UdpCoapTransport.BindAsync(new IPEndPoint(IPAddress.IPv6Any, 0));
        await using UdpCoapTransport client = await UdpCoapTransport.BindAsync(new IPEndPoint(IPAddress.Loopback, 0));
        Assert.True(server.IsDualMode);

        await client.SendAsync(new CoapPeer(new IPEndPoint(IPAddress.Loopback, server.LocalEndPoint.EndPoint.Port)), new byte[] { 1, 2, 3 });
        CoapDatagram request = await ReceiveAsync(server, out _);
        Assert.Equal(client.LocalEndPoint, request.Peer);
        Assert.Equal(AddressFamily.InterNetwork, request.Peer.EndPoint.AddressFamily);

        await server.SendAsync(request.Peer, new byte[] { 4, 5 });
        CoapDatagram reply = await ReceiveAsync(client, out byte[] buffer);
        Assert.Equal(server.LocalEndPoint.EndPoint.Port, reply.Peer.EndPoint.Port);
        Assert.Equal(new byte[] { 4, 5 }, buffer[..reply.Length]);
    }

    [Fact]
    public async Task Dual_mode_socket_also_carries_IPv6()
    {
        await using UdpCoapTransport server = await UdpCoapTransport.BindAsync(new IPEndPoint(IPAddress.IPv6Any, 0));
        await using UdpCoapTransport client = await UdpCoapTransport.BindAsync(new IPEndPoint(IPAddress.IPv6Loopback, 0));

        await client.SendAsync(new CoapPeer(new IPEndPoint(IPAddress.IPv6Loopback, server.LocalEndPoint.EndPoint.Port)), new byte[] { 9 });
        CoapDatagram request = await ReceiveAsync(server, out _);

        Assert.Equal(client.LocalEndPoint, request.Peer);
    }

    [Fact]
    public async Task Datagram_longer_than_the_receive_buffer_is_reported_truncated()
    {
        var options = new UdpCoapTransportOptions { MaxDatagramSize = 4000 };
        await using UdpCoapTransport a = await UdpCoapTransport.BindAsync(new IPEndPoint(IPAddress.Loopback, 0), options);
        await using UdpCoapTransport b = await UdpCoapTransport.BindAsync(new IPEndPoint(IPAddress.Loopback, 0));
        byte[] big = [.. Enumerable.Range(0, 2000).Select(i => (byte)i)];

        await a.SendAsync(b.LocalEndPoint, big);
        var buffer = new byte[1152];
        using var cts = new CancellationTokenSource(Safety);
        CoapDatagram received = await b.ReceiveAsync(buffer, cts.Token);

        Assert.True(received.Truncated);
        Assert.Equal(1152, received.Length);
        Assert.Equal(big[..1152], buffer);
    }

    [Fact]
    public async Task Sending_more_than_MaxDatagramSize_is_refused()
    {
        await using UdpCoapTransport a = await UdpCoapTransport.BindAsync(new IPEndPoint(IPAddress.Loopback, 0));

        await Assert.ThrowsAsync<ArgumentException>(() => a.SendAsync(a.LocalEndPoint, new byte[1153]).AsTask());
    }

    [Fact]
    public async Task Receive_keeps_working_after_sending_to_a_closed_port()
    {
        int closedPort;
        using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp))
        {
            probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            closedPort = ((IPEndPoint)probe.LocalEndPoint!).Port;
        }

        await using UdpCoapTransport a = await UdpCoapTransport.BindAsync(new IPEndPoint(IPAddress.Loopback, 0));
        await using UdpCoapTransport b = await UdpCoapTransport.BindAsync(new IPEndPoint(IPAddress.Loopback, 0));

        // The ICMP port unreachable this provokes must not end a's receiving.
        await a.SendAsync(new CoapPeer(new IPEndPoint(IPAddress.Loopback, closedPort)), new byte[] { 0x40, 0, 0, 1 });
        await a.SendAsync(new CoapPeer(new IPEndPoint(IPAddress.Loopback, closedPort)), new byte[] { 0x40, 0, 0, 2 });
        await b.SendAsync(a.LocalEndPoint, new byte[] { 7, 7 });
        CoapDatagram received = await ReceiveAsync(a, out byte[] buffer);

        Assert.Equal(b.LocalEndPoint, received.Peer);
        Assert.Equal(new byte[] { 7, 7 }, buffer[..received.Length]);
    }

    [Fact]
    public async Task Many_datagrams_from_one_peer_all_arrive_with_the_same_sender()
    {
        await using UdpCoapTransport a = await UdpCoapTransport.BindAsync(new IPEndPoint(IPAddress.Loopback, 0));
        await using UdpCoapTransport b = await UdpCoapTransport.BindAsync(new IPEndPoint(IPAddress.Loopback, 0));
        await using UdpCoapTransport c = await UdpCoapTransport.BindAsync(new IPEndPoint(IPAddress.Loopback, 0));

        for (byte i = 0; i < 20; i++)
        {
            await (i % 2 == 0 ? a : c).SendAsync(b.LocalEndPoint, new[] { i });
        }

        for (int i = 0; i < 20; i++)
        {
            CoapDatagram received = await ReceiveAsync(b, out byte[] buffer);
            Assert.Equal(buffer[0] % 2 == 0 ? a.LocalEndPoint : c.LocalEndPoint, received.Peer);
        }
    }

    [Fact]
    public async Task Pending_receive_ends_when_cancelled()
    {
        await using UdpCoapTransport a = await UdpCoapTransport.BindAsync(new IPEndPoint(IPAddress.Loopback, 0));
        using var cts = new CancellationTokenSource();

        ValueTask<CoapDatagram> pending = a.ReceiveAsync(new byte[64], cts.Token);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending.AsTask().WaitAsync(Safety));
    }

    [Fact]
    public async Task Pending_receive_ends_with_ObjectDisposedException_when_the_transport_is_disposed()
    {
        UdpCoapTransport a = await UdpCoapTransport.BindAsync(new IPEndPoint(IPAddress.Loopback, 0));

        Task<CoapDatagram> pending = a.ReceiveAsync(new byte[64]).AsTask();
        await a.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => pending.WaitAsync(Safety));
    }

    [Fact]
    public async Task Second_concurrent_receive_is_refused()
    {
        await using UdpCoapTransport a = await UdpCoapTransport.BindAsync(new IPEndPoint(IPAddress.Loopback, 0));
        using var cts = new CancellationTokenSource();

        ValueTask<CoapDatagram> first = a.ReceiveAsync(new byte[64], cts.Token);
        await Assert.ThrowsAsync<InvalidOperationException>(() => a.ReceiveAsync(new byte[64]).AsTask());
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first.AsTask().WaitAsync(Safety));
    }

    [Fact]
    public async Task IPv4_socket_refuses_an_IPv6_peer_with_a_clear_message()
    {
        await using UdpCoapTransport a = await UdpCoapTransport.BindAsync(new IPEndPoint(IPAddress.Loopback, 0));

        ArgumentException e = await Assert.ThrowsAsync<ArgumentException>(
            () => a.SendAsync(new CoapPeer(new IPEndPoint(IPAddress.IPv6Loopback, 5683)), new byte[] { 1 }).AsTask());
        Assert.Contains("IPv4 socket", e.Message);
    }

    [Theory]
    [InlineData(63)]
    [InlineData(65508)]
    public async Task Options_with_an_impossible_MaxDatagramSize_are_refused(int size)
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(
            () => UdpCoapTransport.BindAsync(new IPEndPoint(IPAddress.Loopback, 0), new UdpCoapTransportOptions { MaxDatagramSize = size }).AsTask());
    }

    private static Task<CoapDatagram> ReceiveAsync(UdpCoapTransport transport, out byte[] buffer)
    {
        buffer = new byte[2048];
        return transport.ReceiveAsync(buffer).AsTask().WaitAsync(Safety);
    }
}
