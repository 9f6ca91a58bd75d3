using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Tern.Coap.Transport;

namespace Tern.Coap.Tests.Transport;

public class CoapTransportPumpTests
{
    private static readonly CoapPeer Sender = new(new IPEndPoint(IPAddress.Loopback, 5683));

    [Fact]
    public async Task Each_datagram_is_handed_on_as_its_own_copy_with_its_sender_and_truncation()
    {
        var transport = new ScriptedTransport(maxDatagramSize: 4);
        transport.Script.Writer.TryWrite(new byte[] { 1, 2, 3 });
        transport.Script.Writer.TryWrite(new byte[] { 9, 9, 9, 9, 9, 9 }); // longer than the buffer of 4 + 1
        transport.Script.Writer.Complete();
        var seen = new List<(CoapPeer Peer, byte[] Bytes, bool Truncated)>();

        await CoapTransportPump.RunAsync(transport, (peer, bytes, truncated) => seen.Add((peer, bytes, truncated)), CancellationToken.None);

        Assert.Equal(2, seen.Count);
        Assert.Equal(Sender, seen[0].Peer);
        Assert.Equal(new byte[] { 1, 2, 3 }, seen[0].Bytes);
        Assert.False(seen[0].Truncated);
        Assert.Equal(new byte[] { 9, 9, 9, 9, 9 }, seen[1].Bytes);
        Assert.True(seen[1].Truncated);
        Assert.NotSame(seen[0].Bytes, seen[1].Bytes);
    }

    [Fact]
    public async Task A_socket_error_skips_one_receive_and_the_loop_goes_on()
    {
        var transport = new ScriptedTransport(maxDatagramSize: 16) { SocketErrorsFirst = 2 };
        transport.Script.Writer.TryWrite(new byte[] { 7 });
        transport.Script.Writer.Complete();
        var seen = new List<byte[]>();

        await CoapTransportPump.RunAsync(transport, (_, bytes, _) => seen.Add(bytes), CancellationToken.None);

        Assert.Equal([new byte[] { 7 }], seen);
    }

    [Fact]
    public async Task Cancelling_ends_the_loop_without_an_exception()
    {
        var transport = new ScriptedTransport(maxDatagramSize: 16);
        using var stop = new CancellationTokenSource();
        Task pump = CoapTransportPump.RunAsync(transport, (_, _, _) => { }, stop.Token);

        await stop.CancelAsync();

        await pump; // the waiting receive is cancelled; the pump returns normally
        Assert.True(pump.IsCompletedSuccessfully);
    }

    /// <summary>Datagrams from a channel; a completed channel reads as a closed transport.</summary>
    private sealed class ScriptedTransport(int maxDatagramSize) : ICoapTransport
    {
        public Channel<byte[]> Script { get; } = Channel.CreateUnbounded<byte[]>();

        public int SocketErrorsFirst { get; set; }

        public CoapPeer LocalEndPoint => Sender;

        public int MaxDatagramSize => maxDatagramSize;

        public ValueTask SendAsync(CoapPeer peer, ReadOnlyMemory<byte> datagram, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public async ValueTask<CoapDatagram> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (SocketErrorsFirst > 0)
            {
                SocketErrorsFirst--;
                throw new SocketException((int)SocketError.ConnectionReset);
            }

            byte[] next = await Script.Reader.ReadAsync(cancellationToken);
            int length = Math.Min(next.Length, buffer.Length);
            next.AsSpan(0, length).CopyTo(buffer.Span);
            return new CoapDatagram(Sender, length, next.Length > buffer.Length);
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
