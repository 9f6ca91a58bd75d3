using System.Net;
using System.Net.Sockets;

namespace Tern.Coap.Interop.Tests.Harness;

/// <summary>Picks loopback ports that are free for both UDP and TCP (libcoap's server opens both on its port).</summary>
public static class FreePort
{
    /// <summary>A port on 127.0.0.1 that nothing listens on right now.</summary>
    public static int Pick()
    {
        for (int attempt = 0; attempt < 50; attempt++)
        {
            using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            udp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            int port = ((IPEndPoint)udp.LocalEndPoint!).Port;
            using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                tcp.Bind(new IPEndPoint(IPAddress.Loopback, port));
                return port;
            }
            catch (SocketException)
            {
                // Taken for TCP; try another.
            }
        }

        throw new InvalidOperationException("Could not find a loopback port free for both UDP and TCP.");
    }
}
