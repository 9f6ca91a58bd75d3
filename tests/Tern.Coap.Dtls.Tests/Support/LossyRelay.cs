using System.Net;
using System.Net.Sockets;

namespace Tern.Coap.Dtls.Tests.Support;

/// <summary>
/// A UDP relay on loopback between one client and a server that drops the datagrams a rule picks, and records
/// what passed each way. The DTLS transports own real sockets, so loss is injected here rather than in the virtual network.
/// </summary>
internal sealed class LossyRelay : IAsyncDisposable
{
    private readonly UdpClient _front = new(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly UdpClient _back = new(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly IPEndPoint _server;
    private readonly Func<bool, byte[], int, bool> _drop;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _up;
    private readonly Task _down;
    private readonly Func<byte[], byte[]?>? _duplicateToClient;
    private IPEndPoint? _client;
    private int _toServer;
    private int _toClient;

    /// <param name="server">Where to forward.</param>
    /// <param name="drop">(toServer, datagram, index in that direction) → true to drop it.</param>
    /// <param name="duplicateToClient">Returns a second datagram to send to the client after one it forwarded, or null.</param>
    public LossyRelay(IPEndPoint server, Func<bool, byte[], int, bool> drop, Func<byte[], byte[]?>? duplicateToClient = null)
    {
        _duplicateToClient = duplicateToClient;
        _server = server;
        _drop = drop;
        _up = Task.Run(UpAsync);
        _down = Task.Run(DownAsync);
    }

    public IPEndPoint EndPoint => (IPEndPoint)_front.Client.LocalEndPoint!;

    public List<(bool ToServer, byte[] Datagram, bool Dropped)> Log { get; } = [];

    private async Task UpAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            UdpReceiveResult received;
            try
            {
                received = await _front.ReceiveAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (_stop.IsCancellationRequested) return;
                continue;
            }

            _client = received.RemoteEndPoint;
            bool dropped = _drop(true, received.Buffer, _toServer++);
            lock (Log) { Log.Add((true, received.Buffer, dropped)); }
            if (!dropped)
            {
                await _back.SendAsync(received.Buffer, _server);
            }
        }
    }

    private async Task DownAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            UdpReceiveResult received;
            try
            {
                received = await _back.ReceiveAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (_stop.IsCancellationRequested) return;
                continue;
            }

            bool dropped = _drop(false, received.Buffer, _toClient++);
            lock (Log) { Log.Add((false, received.Buffer, dropped)); }
            if (!dropped && _client is not null)
            {
                await _front.SendAsync(received.Buffer, _client);
                if (_duplicateToClient?.Invoke(received.Buffer) is { } copy)
                {
                    await _front.SendAsync(copy, _client);
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _front.Dispose();
        _back.Dispose();
        await Task.WhenAll(_up, _down);
        _stop.Dispose();
    }
}
