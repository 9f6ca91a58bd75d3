using System.Threading.Channels;
using Tern.Coap.Messages;
using Tern.Coap.Transport;
using Tern.Coap.Transport.Virtual;

namespace Tern.Lwm2m.Server;

/// <summary>
/// A lockstep peer: sends exact bytes and collects every datagram it receives, keeping one receive pending so
/// the virtual network sees it as idle between datagrams.
/// </summary>
internal sealed class RawPeer : IAsyncDisposable
{
    private readonly VirtualCoapTransport _transport;
    private readonly Channel<byte[]> _inbox = Channel.CreateUnbounded<byte[]>();
    private readonly Task _loop;

    public RawPeer(VirtualNetwork network)
    {
        _transport = network.CreateTransport();
        _loop = Task.Run(ReceiveLoopAsync);
    }

    public CoapPeer Address => _transport.LocalEndPoint;

    public ValueTask SendAsync(CoapPeer to, byte[] datagram) => _transport.SendAsync(to, datagram);

    /// <summary>The next datagram received (run the network until it completes).</summary>
    public Task<byte[]> ReceiveAsync() => _inbox.Reader.ReadAsync().AsTask();

    /// <summary>Decodes a received datagram for inspection.</summary>
    public static CoapMessage Decode(byte[] datagram)
    {
        Assert.Equal(CoapFormatError.None, CoapMessageCodec.TryDecode(datagram, out CoapMessage? message));
        return message!;
    }

    public async ValueTask DisposeAsync()
    {
        await _transport.DisposeAsync();
        await _loop;
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[2048];
        try
        {
            while (true)
            {
                CoapDatagram datagram = await _transport.ReceiveAsync(buffer);
                _inbox.Writer.TryWrite(buffer.AsSpan(0, datagram.Length).ToArray());
            }
        }
        catch (ObjectDisposedException)
        {
            _inbox.Writer.TryComplete();
        }
    }
}
