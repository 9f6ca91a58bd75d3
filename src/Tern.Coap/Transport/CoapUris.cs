using System.Net;
using System.Net.Sockets;

namespace Tern.Coap.Transport;

/// <summary>Where a <c>coap://</c> or <c>coaps://</c> URI points (RFC 7252 §6.1, §6.2).</summary>
public static class CoapUris
{
    /// <summary>The default port of <c>coap</c> (RFC 7252 §6.1).</summary>
    public const int CoapPort = 5683;

    /// <summary>The default port of <c>coaps</c> (RFC 7252 §6.2).</summary>
    public const int CoapsPort = 5684;

    /// <summary>The URI's port, or the default of its scheme (5684 for coaps, else 5683) when it names none.</summary>
    public static int PortOf(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        return !uri.IsDefaultPort && uri.Port >= 0 ? uri.Port
            : string.Equals(uri.Scheme, "coaps", StringComparison.OrdinalIgnoreCase) ? CoapsPort : CoapPort;
    }

    /// <summary>
    /// The URI's host (an address literal as is, a name by DNS, its first address) and port. A name without addresses
    /// throws <see cref="SocketException"/> (HostNotFound), as a failed lookup does.
    /// </summary>
    public static async ValueTask<IPEndPoint> ResolveAsync(Uri uri, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(uri);
        IPAddress address = IPAddress.TryParse(uri.IdnHost, out IPAddress? literal)
            ? literal
            : (await Dns.GetHostAddressesAsync(uri.IdnHost, cancellationToken).ConfigureAwait(false)).FirstOrDefault()
                ?? throw new SocketException((int)SocketError.HostNotFound);
        return new IPEndPoint(address, PortOf(uri));
    }
}
