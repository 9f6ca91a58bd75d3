using System.Net;
using System.Net.Sockets;
using Tern.Coap.Dtls.Internal;
using Tern.Coap.Dtls.Psk;
using Tern.Coap.Transport;

namespace Tern.Coap.Dtls;

/// <content>
/// Routing to Tern's own PSK engine (<see cref="DtlsServerOptions.UseNativePsk"/>): a ClientHello whose best suite by
/// the server's preference is TLS_PSK_WITH_AES_128_CCM_8 goes to the engine, which answers with a stateless
/// HelloVerifyRequest and admits the peer only on a cookied ClientHello; afterwards every datagram of that peer goes
/// there. Other hellos, and every datagram of a BouncyCastle peer, keep the BouncyCastle path.
/// </content>
public sealed partial class DtlsServerTransport
{
    private PskServerEngine? _native;

    /// <summary>HelloVerifyRequests sent by the native PSK engine (each one keeps no state on the server).</summary>
    public long HelloVerifyRequestsSent => _native?.HelloVerifyRequestsSent ?? 0;

    /// <summary>Handshakes that resumed a cached session (abbreviated handshakes) on the native PSK engine.</summary>
    public long SessionsResumed => _native?.SessionsResumed ?? 0;

    /// <summary>Sessions held for resumption by the native PSK engine.</summary>
    public int CachedSessions => _native?.Cache?.Count ?? 0;

    private int NativePeerCount => _native?.Count ?? 0;

    private int NativeHandshakes => _native?.HandshakesInProgress ?? 0;

    private long NativeDroppedDatagrams => _native?.DroppedDatagrams ?? 0;

    private void StartNativeEngine()
    {
        if (_options.UseNativePsk && _options.PskStore is not null && _options.EffectiveCipherSuites.Contains(DtlsCipherSuite.PskWithAes128Ccm8))
        {
            _native = new PskServerEngine(_options, new NativeHost(this));
        }
    }

    /// <summary>Hands the datagram to the native engine when it is the native engine's; false leaves it to BouncyCastle.</summary>
    private bool RouteNative(IPEndPoint from, byte[] datagram)
    {
        if (_native is null)
        {
            return false;
        }

        bool isHello = PskServerEngine.TryReadHello(datagram, out ClientHello? hello, out ushort seq, out long recordSeq, out ReadOnlySpan<byte> body);
        bool chosen = isHello && PskServerEngine.Chooses(hello!, _options.EffectiveCipherSuites);
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
        if (_native is not null && _native.TryGet(peer.EndPoint, out PskConnection? connection) && connection!.IsEstablished)
        {
            info = new DtlsPeerInfo(DtlsCipherSuite.PskWithAes128Ccm8, connection.PskIdentity, null);
            return true;
        }

        info = null;
        return false;
    }

    private bool TrySendNative(CoapPeer peer, ReadOnlySpan<byte> datagram, out bool sent)
    {
        sent = false;
        if (_native is null || !_native.TryGet(peer.EndPoint, out PskConnection? connection))
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

        foreach (PskConnection connection in _native.Connections)
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
        try
        {
            _socket.SendTo(datagram, SocketFlags.None, to);
            Interlocked.Add(ref _bytesSent, datagram.Length);
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private sealed class NativeHost(DtlsServerTransport owner) : IPskServerHost
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

        public void Established(PskConnection connection)
        {
            var info = new DtlsPeerInfo(DtlsCipherSuite.PskWithAes128Ccm8, connection.PskIdentity, null);
            Log.SessionEstablished(owner._options.Logger, connection.Peer.ToString(), info.CipherSuite, connection.Resumed);
            owner.SessionEstablished?.Invoke(owner, new DtlsSessionEventArgs(new CoapPeer(connection.Peer), info) { Resumed = connection.Resumed });
        }

        public void Failed(PskConnection connection, DtlsException error)
        {
            Log.HandshakeFailed(owner._options.Logger, connection.Peer.ToString(), error.Kind, error.Message);
            owner.HandshakeFailed?.Invoke(owner, new DtlsHandshakeFailedEventArgs(new CoapPeer(connection.Peer), error));
        }
    }
}
