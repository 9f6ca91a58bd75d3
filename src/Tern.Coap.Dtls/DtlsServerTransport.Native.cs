using System.Net;
using System.Net.Sockets;
using Tern.Coap.Dtls.Internal;
using Tern.Coap.Dtls.Native;
using Tern.Coap.Transport;

namespace Tern.Coap.Dtls;

/// <content>
/// Routing to Tern's own engine (<see cref="DtlsServerOptions.UseNativePsk"/>, <see cref="DtlsServerOptions.UseNativeCertificates"/>):
/// a ClientHello whose best suite by the server's preference is one the engine runs (PSK CCM_8, ECDHE_ECDSA CCM_8 or GCM)
/// goes to the engine, which answers with a stateless
/// HelloVerifyRequest and admits the peer only on a cookied ClientHello; afterwards every datagram of that peer goes
/// there. Other hellos, and every datagram of a BouncyCastle peer, keep the BouncyCastle path.
/// </content>
public sealed partial class DtlsServerTransport
{
    private NativeServerEngine? _native;

    /// <summary>HelloVerifyRequests sent by the native engine, for PSK and certificate hellos alike (each one keeps no state on the server).</summary>
    public long HelloVerifyRequestsSent => _native?.HelloVerifyRequestsSent ?? 0;

    /// <summary>Handshakes that resumed a cached session (abbreviated handshakes) on the native engine, PSK and certificate.</summary>
    public long SessionsResumed => _native?.SessionsResumed ?? 0;

    /// <summary>Sessions held for resumption by the native engine, PSK and certificate.</summary>
    public int CachedSessions => _native?.Cache?.Count ?? 0;

    private int NativePeerCount => _native?.Count ?? 0;

    private int NativeHandshakes => _native?.HandshakesInProgress ?? 0;

    private long NativeDroppedDatagrams => _native?.DroppedDatagrams ?? 0;

    private void StartNativeEngine()
    {
        bool psk = _options.UseNativePsk && _options.PskStore is not null && _options.EffectiveCipherSuites.Contains(DtlsCipherSuite.PskWithAes128Ccm8);
        ServerCertificateKeys? certificate = _options.UseNativeCertificates && _options.Certificate is { } credentials
            && _options.EffectiveCipherSuites.Any(s => s is DtlsCipherSuite.EcdheEcdsaWithAes128Ccm8 or DtlsCipherSuite.EcdheEcdsaWithAes128GcmSha256)
            ? ServerCertificateKeys.TryCreate(credentials) // converted once here, not per handshake; null (not P-256) keeps BouncyCastle
            : null;
        if (psk || certificate is not null)
        {
            _native = new NativeServerEngine(_options, new NativeHost(this), psk, certificate);
        }
    }

    /// <summary>Hands the datagram to the native engine when it is the native engine's; false leaves it to BouncyCastle.</summary>
    private bool RouteNative(IPEndPoint from, byte[] datagram)
    {
        if (_native is null)
        {
            return false;
        }

        bool isHello = NativeServerEngine.TryReadHello(datagram, out ClientHello? hello, out ushort seq, out long recordSeq, out ReadOnlySpan<byte> body);
        bool chosen = isHello && _native.Chooses(hello!);
        if (_native.TryGet(from, out _))
        {
            if (isHello && !chosen)
            {
                return false; // the client restarted with suites for BouncyCastle
            }

            _native.OnDatagram(from, datagram, chosen ? hello : null, seq, recordSeq, body);
            return true;
        }

        if (!chosen || (_peers.TryGetValue(from, out DtlsSession? classic) && !classic.IsEstablished && !classic.IsClosed))
        {
            return false; // not for us, or a retransmission in a BouncyCastle handshake
        }

        _native.OnDatagram(from, datagram, hello, seq, recordSeq, body);
        return true;
    }

    private bool TryGetNativePeerInfo(CoapPeer peer, out DtlsPeerInfo? info)
    {
        if (_native is not null && _native.TryGet(peer.EndPoint, out NativeConnection? connection) && connection!.IsEstablished)
        {
            info = connection.PeerInfo;
            return true;
        }

        info = null;
        return false;
    }

    private bool TrySendNative(CoapPeer peer, ReadOnlySpan<byte> datagram, out bool sent)
    {
        sent = false;
        if (_native is null || !_native.TryGet(peer.EndPoint, out NativeConnection? connection))
        {
            return false;
        }

        sent = connection!.Send(datagram);
        if (!sent)
        {
            Log.Dropped(_options.Logger, peer.ToString(), "no DTLS session to send on");
        }

        return true;
    }

    private void CloseIdleNativeSessions(DateTimeOffset now, TimeSpan idle)
    {
        if (_native is null)
        {
            return;
        }

        foreach (NativeConnection connection in _native.Connections)
        {
            if (connection.IsClosed || (connection.IsEstablished && now - connection.LastActivity >= idle))
            {
                Log.SessionIdle(_options.Logger, connection.Peer.ToString());
                _native.Remove(connection, closeNotify: true);
            }
        }
    }

    private void SendRaw(IPEndPoint to, ReadOnlySpan<byte> datagram)
    {
        // Counted before the send: once the datagram is out the peer may act on it before this thread runs again, and
        // a count that lagged behind what the peer already saw made byte comparisons in tests race.
        Interlocked.Add(ref _bytesSent, datagram.Length);
        try
        {
            _socket.SendTo(datagram, SocketFlags.None, to);
        }
        catch (SocketException)
        {
            Interlocked.Add(ref _bytesSent, -datagram.Length);
        }
        catch (ObjectDisposedException)
        {
            Interlocked.Add(ref _bytesSent, -datagram.Length);
        }
    }

    private sealed class NativeHost(DtlsServerTransport owner) : INativeServerHost
    {
        public void Send(IPEndPoint to, ReadOnlySpan<byte> datagram) => owner.SendRaw(to, datagram);

        public void Deliver(IPEndPoint from, byte[] plaintext) => owner._received.Writer.TryWrite((from, plaintext));

        public bool CanAdmit(IPEndPoint peer)
        {
            if (owner.PeerCount >= owner._options.MaxSessions || owner.HandshakesInProgress >= owner._options.MaxConcurrentHandshakes)
            {
                return false;
            }

            if (owner._peers.TryGetValue(peer, out DtlsSession? classic))
            {
                owner.Forget(classic); // the client proved its address with a new handshake: its old session is gone
            }

            return true;
        }

        public void CountDropped() => Interlocked.Increment(ref owner._droppedDatagrams);

        public void CountDroppedHello() => Interlocked.Increment(ref owner._droppedHellos);

        public void Established(NativeConnection connection)
        {
            DtlsPeerInfo info = connection.PeerInfo;
            Log.SessionEstablished(owner._options.Logger, connection.Peer.ToString(), info.CipherSuite, connection.Resumed);
            owner.SessionEstablished?.Invoke(owner, new DtlsSessionEventArgs(new CoapPeer(connection.Peer), info) { Resumed = connection.Resumed });
        }

        public void Failed(NativeConnection connection, DtlsException error)
        {
            Log.HandshakeFailed(owner._options.Logger, connection.Peer.ToString(), error.Kind, error.Message);
            owner.HandshakeFailed?.Invoke(owner, new DtlsHandshakeFailedEventArgs(new CoapPeer(connection.Peer), error));
        }
    }
}
