using System.Collections.Concurrent;
using System.Threading.Channels;
using Tern.Coap.Dtls;
using Tern.Coap.Transport;
using Tern.Coap.Transport.Udp;

namespace Tern.Lwm2m.Server.Security;

/// <summary>
/// One <see cref="ICoapTransport"/> for an <see cref="Lwm2mServer"/> over a plain CoAP socket and a DTLS socket
/// together: datagrams from both arrive through <see cref="ReceiveAsync"/>, and a reply goes out on the socket the
/// peer last spoke on. <see cref="TryGetDtlsPeer"/> tells the server who a DTLS peer proved to be, so it can refuse a
/// client that registers under an endpoint name its credentials do not belong to.
/// </summary>
public sealed class Lwm2mServerTransport : ICoapTransport
{
    private readonly ICoapTransport? _plain;
    private readonly DtlsServerTransport? _secure;
    private readonly ConcurrentDictionary<CoapPeer, bool> _overDtls = new();
    private readonly Channel<(CoapPeer Peer, byte[] Data, bool Truncated)> _received =
        Channel.CreateBounded<(CoapPeer, byte[], bool)>(new BoundedChannelOptions(1024) { FullMode = BoundedChannelFullMode.DropOldest });
    private readonly CancellationTokenSource _stop = new();
    private readonly Task[] _pumps;

    private Lwm2mServerTransport(ICoapTransport? plain, DtlsServerTransport? secure, ISecurityStore? security)
    {
        _plain = plain;
        _secure = secure;
        Security = security;
        _pumps = [Pump(plain, secure: false), Pump(secure, secure: true)];
    }

    /// <summary>The store DTLS looks PSK keys up in (null when there is no DTLS listener).</summary>
    public ISecurityStore? Security { get; }

    /// <summary>The plain CoAP address, or null.</summary>
    public CoapPeer? CoapEndPoint => _plain?.LocalEndPoint;

    /// <summary>The DTLS address, or null.</summary>
    public CoapPeer? CoapsEndPoint => _secure?.LocalEndPoint;

    /// <summary>The DTLS listener (for its handshake events and counters), or null.</summary>
    public DtlsServerTransport? Dtls => _secure;

    /// <summary>The plain CoAP address when there is one, else the DTLS address.</summary>
    public CoapPeer LocalEndPoint => (_plain ?? (ICoapTransport)_secure!).LocalEndPoint;

    /// <inheritdoc />
    public int MaxDatagramSize => Math.Min(_plain?.MaxDatagramSize ?? int.MaxValue, _secure?.MaxDatagramSize ?? int.MaxValue);

    /// <summary>Binds the configured sockets.</summary>
    /// <exception cref="ArgumentException">The options are inconsistent.</exception>
    /// <exception cref="System.Net.Sockets.SocketException">A port cannot be bound.</exception>
    public static async ValueTask<Lwm2mServerTransport> BindAsync(Lwm2mServerTransportOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        UdpCoapTransport? plain = options.CoapEndPoint is { } coap
            ? await UdpCoapTransport.BindAsync(coap, cancellationToken: cancellationToken).ConfigureAwait(false)
            : null;
        try
        {
            DtlsServerTransport? secure = options.CoapsEndPoint is { } coaps
                ? DtlsServerTransport.Bind(coaps, new DtlsServerOptions
                {
                    PskStore = new SecurityStorePskLookup(options.Security!),
                    Certificate = options.Certificate,
                    RequireClientCertificate = options.Certificate is not null,
                    TrustedClientCertificates = options.TrustedClientCertificates,
                    HandshakeTimeout = options.HandshakeTimeout,
                    IdleTimeout = options.IdleTimeout,
                    TimeProvider = options.TimeProvider,
                    Logger = options.Logger,
                })
                : null;
            return new Lwm2mServerTransport(plain, secure, options.Security);
        }
        catch
        {
            if (plain is not null)
            {
                await plain.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }
    }

    /// <summary>
    /// Who <paramref name="peer"/> proved to be when it speaks over DTLS with an established session; false for
    /// peers on the plain CoAP socket.
    /// </summary>
    public bool TryGetDtlsPeer(CoapPeer peer, out DtlsPeerInfo? info)
    {
        info = null;
        return _secure is not null && _overDtls.TryGetValue(peer, out bool secure) && secure && _secure.TryGetPeerInfo(peer, out info);
    }

    /// <inheritdoc />
    public ValueTask SendAsync(CoapPeer peer, ReadOnlyMemory<byte> datagram, CancellationToken cancellationToken = default)
    {
        bool secure = _overDtls.TryGetValue(peer, out bool known) ? known : _plain is null;
        ICoapTransport transport = secure ? _secure! : _plain!;
        return transport.SendAsync(peer, datagram, cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask<CoapDatagram> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        (CoapPeer peer, byte[] data, bool truncated) = await _received.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        int length = Math.Min(buffer.Length, data.Length);
        data.AsSpan(0, length).CopyTo(buffer.Span);
        return new CoapDatagram(peer, length, truncated || data.Length > buffer.Length);
    }

    /// <summary>Stops both listeners (DTLS peers get close_notify).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        if (_secure is not null)
        {
            await _secure.DisposeAsync().ConfigureAwait(false);
        }

        if (_plain is not null)
        {
            await _plain.DisposeAsync().ConfigureAwait(false);
        }

        await Task.WhenAll(_pumps).ConfigureAwait(false);
        _received.Writer.TryComplete();
        _stop.Dispose();
    }

    private Task Pump(ICoapTransport? transport, bool secure) => transport is null ? Task.CompletedTask : CoapTransportPump.RunAsync(transport, (peer, datagram, truncated) =>
    {
        // Only authenticated DTLS peers are remembered (plain is the default), so spoofed UDP sources add nothing.
        if (secure)
        {
            _overDtls[peer] = true;
        }
        else
        {
            _overDtls.TryRemove(peer, out _);
        }

        _received.Writer.TryWrite((peer, datagram, truncated));
    }, _stop.Token);
}
