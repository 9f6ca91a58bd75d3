using System.Net;
using System.Net.Sockets;

namespace Tern.Coap.Interop.Tests.Harness;

/// <summary>Waits for a CoAP server to come up by sending raw CoAP pings (empty CON) until one is answered with RST.</summary>
public static class CoapProbe
{
    /// <summary>Returns when <paramref name="server"/> answers a ping; throws <see cref="TimeoutException"/> after <paramref name="timeLimit"/>.</summary>
    public static async Task WaitUntilAnsweringAsync(IPEndPoint server, TimeSpan timeLimit)
    {
        using var socket = new Socket(server.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(server.AddressFamily == AddressFamily.InterNetwork ? IPAddress.Loopback : IPAddress.IPv6Loopback, 0));
        using var overall = new CancellationTokenSource(timeLimit);
        var buffer = new byte[64];
        ushort messageId = (ushort)Random.Shared.Next(ushort.MaxValue);
        while (!overall.IsCancellationRequested)
        {
            messageId++;
            byte[] ping = [0x40, 0x00, (byte)(messageId >> 8), (byte)messageId];
            await socket.SendToAsync(ping, server);
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(overall.Token);
            attempt.CancelAfter(TimeSpan.FromMilliseconds(100));
            try
            {
                while (true)
                {
                    SocketReceiveFromResult result = await socket.ReceiveFromAsync(buffer, new IPEndPoint(server.Address, 0), attempt.Token);
                    if (result.ReceivedBytes >= 4 && buffer[0] >> 4 == 0x7 && buffer[2] == ping[2] && buffer[3] == ping[3])
                    {
                        return;
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
            catch (SocketException)
            {
                // Port unreachable while the server is still starting; the attempt timer paces the retry.
                await Task.WhenAny(Task.Delay(Timeout.Infinite, attempt.Token)).ConfigureAwait(false);
            }
        }

        throw new TimeoutException($"No CoAP server answered a ping at {server} within {timeLimit.TotalSeconds} s.");
    }
}
