using System.Net;
using System.Threading.Channels;
using Tern.Coap.Dtls;
using Tern.Coap.Endpoint;
using Tern.Coap.Engine;
using Tern.Coap.Transport;
using Tern.Coap.Transport.Udp;
using Tern.Lwm2m.Client.Configuration;

namespace Tern.Lwm2m.Client;

/// <summary>
/// One <see cref="ICoapTransport"/> for every account of a client: plain UDP for <c>coap://</c> servers and one DTLS
/// client per <c>coaps://</c> server, opened with the credentials its Security instance holds when the client first
/// talks to it, and reopened when a bootstrap changed them. Datagrams from all of them arrive through one
/// <see cref="ReceiveAsync"/>.
/// </summary>
internal sealed class Lwm2mClientTransportRouter : ICoapTransport
{
    private readonly UdpCoapTransport _plain;
    private readonly Lwm2mClientTransportOptions _options;
    private readonly Lock _gate = new();
    private readonly Dictionary<CoapPeer, Route> _routes = [];
    private readonly Dictionary<CoapPeer, string> _uris = [];
    private readonly Channel<(CoapPeer Peer, byte[] Data, bool Truncated)> _received =
        Channel.CreateBounded<(CoapPeer, byte[], bool)>(new BoundedChannelOptions(512) { FullMode = BoundedChannelFullMode.DropOldest });
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _plainPump;
    private bool _disposed;

    public Lwm2mClientTransportRouter(UdpCoapTransport plain, Lwm2mClientTransportOptions options)
    {
        _plain = plain;
        _options = options;
        _plainPump = PumpAsync(plain);
    }

    /// <summary>Finds the Security instance of a server URI in the client's current configuration.</summary>
    public Func<string, Lwm2mSecurityInstance?> Lookup { get; set; } = _ => null;

    /// <summary>Raised when a DTLS handshake fails or an account cannot be opened (unsupported mode, unreadable credentials).</summary>
    public event EventHandler<DtlsException>? HandshakeFailed;

    public CoapPeer LocalEndPoint => _plain.LocalEndPoint;

    public int MaxDatagramSize => _plain.MaxDatagramSize;

    /// <summary>The DTLS client of <paramref name="serverUri"/>, once opened.</summary>
    public DtlsClientTransport? Find(string serverUri)
    {
        lock (_gate)
        {
            return _routes.Values.FirstOrDefault(r => r.ServerUri == serverUri)?.Dtls;
        }
    }

    /// <summary>
    /// The peer of <paramref name="serverUri"/>, with its DTLS client opened (or reopened for new credentials) and its
    /// session established. An account that cannot be opened or whose handshake fails fails here with a
    /// <see cref="CoapException"/> (the client's exchange fails at once and its retry policy applies) after
    /// <see cref="HandshakeFailed"/> named the reason.
    /// </summary>
    public async ValueTask<CoapPeer> ResolveAsync(string serverUri, CancellationToken cancellationToken)
    {
        var uri = new Uri(serverUri);
        var peer = new CoapPeer(await Lwm2mClientTransport.ResolveEndPointAsync(uri, cancellationToken).ConfigureAwait(false));
        lock (_gate)
        {
            _uris[peer] = serverUri;
        }

        if (uri.Scheme == "coaps" && Lookup(serverUri) is { } security)
        {
            try
            {
                // Handshake here rather than in the send loop: a refused handshake then fails this exchange at once
                // (the engine defers by its retry policy, "server connect") instead of after every CoAP retransmission.
                Route route = await OpenAsync(peer, serverUri, security).ConfigureAwait(false);
                await route.Dtls.EnsureConnectedAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (DtlsException e)
            {
                throw new CoapException(CoapErrorKind.ProtocolError, $"DTLS with {serverUri} failed ({e.Kind}): {e.Message}");
            }
        }
        else if (uri.Scheme != "coaps")
        {
            await CloseRouteAsync(peer).ConfigureAwait(false);
        }

        return peer;
    }

    /// <summary>
    /// Ends the DTLS session with <paramref name="serverUri"/> (close_notify); the next send handshakes again. A bootstrap
    /// server's session is left open (to the idle timeout or disposal): the lifecycle closes that connection while the
    /// client's answer to Bootstrap-Finish is still on its way, and closing first would make that answer start a new
    /// handshake the bootstrap server may not complete before it gives up on Finish.
    /// </summary>
    public void CloseSession(string serverUri)
    {
        if (Lookup(serverUri) is not { IsBootstrapServer: true })
        {
            Find(serverUri)?.CloseSession();
        }
    }

    public async ValueTask SendAsync(CoapPeer peer, ReadOnlyMemory<byte> datagram, CancellationToken cancellationToken = default)
    {
        Route? route;
        string? serverUri;
        lock (_gate)
        {
            _routes.TryGetValue(peer, out route);
            _uris.TryGetValue(peer, out serverUri);
        }

        if (route is null && serverUri is not null && serverUri.StartsWith("coaps:", StringComparison.OrdinalIgnoreCase))
        {
            // The configuration was not yet readable when the peer was resolved (e.g. just after Bootstrap-Finish).
            Lwm2mSecurityInstance security = Lookup(serverUri)
                ?? throw new InvalidOperationException($"No Security instance holds the credentials of {serverUri}.");
            route = await OpenAsync(peer, serverUri, security).ConfigureAwait(false);
        }

        if (route is not null)
        {
            await route.Dtls.SendAsync(route.Dtls.RemoteEndPoint, datagram, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await _plain.SendAsync(peer, datagram, cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask<CoapDatagram> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        (CoapPeer peer, byte[] data, bool truncated) = await _received.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        int length = Math.Min(buffer.Length, data.Length);
        data.AsSpan(0, length).CopyTo(buffer.Span);
        return new CoapDatagram(peer, length, truncated || data.Length > buffer.Length);
    }

    public async ValueTask DisposeAsync()
    {
        Route[] routes;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            routes = [.. _routes.Values];
            _routes.Clear();
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        foreach (Route route in routes)
        {
            await route.Dtls.DisposeAsync().ConfigureAwait(false);
        }

        await _plain.DisposeAsync().ConfigureAwait(false);
        await Task.WhenAll([_plainPump, .. routes.Select(r => r.Pump)]).ConfigureAwait(false);
        _received.Writer.TryComplete();
        _stop.Dispose();
    }

    /// <summary>The route of <paramref name="peer"/> for <paramref name="security"/>'s credentials, opening a DTLS client when there is none or the credentials changed.</summary>
    private async ValueTask<Route> OpenAsync(CoapPeer peer, string serverUri, Lwm2mSecurityInstance security)
    {
        Route? stale = null;
        Route route;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_routes.TryGetValue(peer, out Route? existing) && existing.ServerUri == serverUri && SameCredentials(existing.Security, security))
            {
                return existing;
            }

            DtlsClientTransport dtls;
            try
            {
                DtlsSecurityModes.EnsureSupported((int)security.SecurityMode);
                dtls = DtlsClientTransport.Create(peer.EndPoint, Lwm2mClientTransport.CreateDtlsOptions(security, _options));
            }
            catch (Exception e) when (e is DtlsException or ArgumentException)
            {
                var error = e as DtlsException ?? new DtlsException(DtlsErrorKind.HandshakeFailure, e.Message, e);
                RaiseFailed(null, error);
                throw error;
            }

            dtls.HandshakeFailed += RaiseFailed;
            stale = existing;
            route = new Route(serverUri, security, dtls, PumpAsync(dtls));
            _routes[peer] = route;
        }

        if (stale is not null)
        {
            await stale.Dtls.DisposeAsync().ConfigureAwait(false);
        }

        return route;
    }

    private async ValueTask CloseRouteAsync(CoapPeer peer)
    {
        Route? route;
        lock (_gate)
        {
            _routes.Remove(peer, out route);
        }

        if (route is not null)
        {
            await route.Dtls.DisposeAsync().ConfigureAwait(false);
        }
    }

    private void RaiseFailed(object? sender, DtlsException error) => HandshakeFailed?.Invoke(sender, error);

    private static bool SameCredentials(Lwm2mSecurityInstance a, Lwm2mSecurityInstance b) =>
        a.SecurityMode == b.SecurityMode && a.CertificateUsage == b.CertificateUsage
        && a.PublicKeyOrIdentity.Span.SequenceEqual(b.PublicKeyOrIdentity.Span)
        && a.SecretKey.Span.SequenceEqual(b.SecretKey.Span)
        && a.ServerPublicKey.Span.SequenceEqual(b.ServerPublicKey.Span);

    private Task PumpAsync(ICoapTransport transport) =>
        CoapTransportPump.RunAsync(transport, (peer, datagram, truncated) => _received.Writer.TryWrite((peer, datagram, truncated)), _stop.Token);

    private sealed record Route(string ServerUri, Lwm2mSecurityInstance Security, DtlsClientTransport Dtls, Task Pump);
}
