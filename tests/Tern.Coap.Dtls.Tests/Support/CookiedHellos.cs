using System.Net;
using System.Net.Sockets;

namespace Tern.Coap.Dtls.Tests.Support;

/// <summary>Raw ClientHellos that pass the cookie exchange, from as many client sockets as asked, for handshake-limit tests.</summary>
internal static class CookiedHellos
{
    /// <summary>
    /// From each of <paramref name="clients"/> fresh sockets in turn: <paramref name="hello"/>, then the same hello with the
    /// cookie the server answered, then a wait until the server either admitted that client or counted its hello dropped.
    /// </summary>
    public static async Task SendAsync(DtlsServerTransport server, byte[] hello, int clients, CancellationToken cancellationToken)
    {
        var sockets = Enumerable.Range(0, clients).Select(_ => new UdpClient(new IPEndPoint(IPAddress.Loopback, 0))).ToList();
        try
        {
            for (int i = 0; i < sockets.Count; i++)
            {
                await sockets[i].SendAsync(hello, server.LocalEndPoint.EndPoint, cancellationToken);
                byte[] cookie = RawDtls.CookieOf((await sockets[i].ReceiveAsync(cancellationToken)).Buffer);
                await sockets[i].SendAsync(RawDtls.WithCookie(hello, cookie), server.LocalEndPoint.EndPoint, cancellationToken);
                await WaitUntilAsync(() => server.PeerCount + server.DroppedHellos == i + 1, cancellationToken);
            }
        }
        finally
        {
            sockets.ForEach(s => s.Dispose());
        }
    }

    /// <summary>Yields until <paramref name="condition"/> holds; the token is the test's safety bound.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, CancellationToken cancellationToken)
    {
        while (!condition())
        {
            await Task.Yield();
            cancellationToken.ThrowIfCancellationRequested();
        }
    }
}
