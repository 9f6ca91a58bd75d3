using System.Net;
using System.Net.Sockets;

namespace Tern.Benchmarks.Throughput;

/// <summary>One hand-built CON GET of "/" over a raw socket, retried every 100 ms: a readiness probe that needs no Tern code.</summary>
public static class RawCoap
{
    /// <summary>Returns the payload of the first 2.05 answer to GET "/" from <paramref name="server"/>.</summary>
    public static async Task<byte[]> GetAsync(IPEndPoint server, TimeSpan timeLimit)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        using var overall = new CancellationTokenSource(timeLimit);
        var buffer = new byte[2048];
        for (ushort messageId = 1; ; messageId++)
        {
            byte[] request = [0x41, 0x01, (byte)(messageId >> 8), (byte)messageId, 0x5A];
            await socket.SendToAsync(request, server, overall.Token);
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(overall.Token);
            attempt.CancelAfter(TimeSpan.FromMilliseconds(100));
            try
            {
                SocketReceiveFromResult result = await socket.ReceiveFromAsync(buffer, new IPEndPoint(IPAddress.Any, 0), attempt.Token);
                if (result.ReceivedBytes >= 5 && buffer[1] == 0x45)
                {
                    int marker = Array.IndexOf(buffer, (byte)0xFF, 5, result.ReceivedBytes - 5);
                    return marker < 0 ? [] : buffer[(marker + 1)..result.ReceivedBytes];
                }
            }
            catch (OperationCanceledException) when (!overall.IsCancellationRequested)
            {
            }
            catch (SocketException)
            {
                await Task.WhenAny(Task.Delay(Timeout.Infinite, attempt.Token));
            }
        }
    }
}
