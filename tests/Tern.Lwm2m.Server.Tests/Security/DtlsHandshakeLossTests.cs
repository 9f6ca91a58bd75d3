using System.Net;
using System.Net.Sockets;
using System.Text;
using Tern.Lwm2m.Client;
using Tern.Lwm2m.Client.Configuration;
using Tern.Lwm2m.Client.Engine;

namespace Tern.Lwm2m.Server.Security;

/// <summary>
/// Handshake retransmission: a relay between a Tern client and a Tern server drops the first ClientHello and the
/// server's first flight; DTLS retransmits them (RFC 6347 §4.2.4) and the client still registers. BouncyCastle's
/// retransmission timer runs on real time, so this test takes a second or two; it asserts nothing about time.
/// </summary>
public sealed class DtlsHandshakeLossTests
{
    private static readonly byte[] Key = Convert.FromHexString("5566778899aabbcc5566778899aabbcc");

    [Fact]
    public async Task Lost_handshake_flights_are_retransmitted_and_the_client_registers()
    {
        var security = new InMemorySecurityStore();
        Assert.True(security.TryPut(SecurityInfo.ForPsk("lossy-dev", "lossy-id", Key), out _));
        Lwm2mServerTransport serverTransport = await Lwm2mServerTransport.BindAsync(new Lwm2mServerTransportOptions
        {
            CoapsEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            Security = security,
        });
        await using Lwm2mServer server = await Lwm2mServer.StartAsync(serverTransport);
        using var relay = new DroppingRelay(serverTransport.CoapsEndPoint!.Value.EndPoint);
        var configuration = new Lwm2mClientConfiguration(
            [new Lwm2mSecurityInstance(0, $"coaps://127.0.0.1:{relay.Port}", false, Lwm2mSecurityMode.PreSharedKey)
            {
                ShortServerId = 1,
                PublicKeyOrIdentity = Encoding.UTF8.GetBytes("lossy-id"),
                SecretKey = Key,
            }],
            [new Lwm2mServerInstance(0, 1, TimeSpan.FromMinutes(5))]);
        await using Lwm2mClientTransport transport = await Lwm2mClientTransport.CreateForAccountsAsync(configuration,
            new Lwm2mClientTransportOptions { HandshakeTimeout = TimeSpan.FromSeconds(30) });
        await using var client = new Lwm2mClient(configuration, new Lwm2mClientOptions("lossy-dev"), transport.Endpoint, resolvePeer: transport.ResolvePeerAsync);
        transport.Follow(client);

        await client.StartAsync();
        await DtlsWaits.NextEventAsync<Lwm2mRegistered>(client);

        Assert.True(relay.FromClient >= 2, $"client datagrams: {relay.FromClient}"); // the lost ClientHello was sent again
        Assert.True(relay.FromServer >= 2, $"server datagrams: {relay.FromServer}"); // and so was the lost server flight
        Assert.NotNull(await server.GetRegistrationAsync("lossy-dev"));
        Assert.Equal(1, transport.Dtls!.HandshakeCount);
    }

    /// <summary>Forwards datagrams between one client and the server, dropping the first datagram in each direction.</summary>
    private sealed class DroppingRelay : IDisposable
    {
        private readonly UdpClient _front = new(new IPEndPoint(IPAddress.Loopback, 0));
        private readonly UdpClient _back = new(new IPEndPoint(IPAddress.Loopback, 0));
        private readonly CancellationTokenSource _stop = new();
        private IPEndPoint? _client;
        private int _fromClient;
        private int _fromServer;

        public DroppingRelay(IPEndPoint server)
        {
            _back.Connect(server);
            _ = Task.Run(() => ForwardAsync(toServer: true));
            _ = Task.Run(() => ForwardAsync(toServer: false));
        }

        public int Port => ((IPEndPoint)_front.Client.LocalEndPoint!).Port;

        /// <summary>Datagrams the client sent, the dropped first one included.</summary>
        public int FromClient => Volatile.Read(ref _fromClient);

        /// <summary>Datagrams the server sent, the dropped first one included.</summary>
        public int FromServer => Volatile.Read(ref _fromServer);

        public void Dispose()
        {
            _stop.Cancel();
            _front.Dispose();
            _back.Dispose();
            _stop.Dispose();
        }

        private async Task ForwardAsync(bool toServer)
        {
            try
            {
                while (!_stop.IsCancellationRequested)
                {
                    UdpReceiveResult received = await (toServer ? _front : _back).ReceiveAsync(_stop.Token);
                    if (toServer)
                    {
                        _client = received.RemoteEndPoint;
                        if (Interlocked.Increment(ref _fromClient) == 1)
                        {
                            continue; // the first ClientHello is lost
                        }

                        await _back.SendAsync(received.Buffer, _stop.Token);
                    }
                    else
                    {
                        if (Interlocked.Increment(ref _fromServer) == 1)
                        {
                            continue; // the server's first flight (HelloVerifyRequest or ServerHello) is lost
                        }

                        await _front.SendAsync(received.Buffer, _client!, _stop.Token);
                    }
                }
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
            }
        }
    }
}
