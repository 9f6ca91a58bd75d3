using System.Net;
using System.Net.Sockets;
using Tern.Coap.Dtls.Internal;
using Tern.Coap.Transport;

namespace Tern.Coap.Dtls;

/// <content>
/// Demultiplexing: the socket loop routes each datagram to its peer's session, and admits new peers only
/// with a ClientHello and only within the handshake and session limits. Hellos the native engine takes are
/// answered with a stateless HelloVerifyRequest first; BouncyCastle sessions have no cookies, so for them these
/// limits are what bounds the state a spoofed flood can create.
/// </content>
public sealed partial class DtlsServerTransport
{
    private async Task ReceiveLoopAsync()
    {
        byte[] buffer = new byte[65536];
        EndPoint any = new IPEndPoint(_socket.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        while (!_disposed.IsCancellationRequested)
        {
            SocketReceiveFromResult result;
            try
            {
                result = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, any, _disposed.Token).ConfigureAwait(false);
            }
            catch (SocketException)
            {
                continue;
            }
            catch (Exception e) when (e is ObjectDisposedException or OperationCanceledException)
            {
                return;
            }

            Interlocked.Add(ref _bytesReceived, result.ReceivedBytes);
            var from = (IPEndPoint)result.RemoteEndPoint;
            byte[] datagram = buffer.AsSpan(0, result.ReceivedBytes).ToArray();
            Route(from, datagram);
        }
    }

    /// <summary>Routes a datagram as if it had arrived from <paramref name="from"/> (tests forge sources with it).</summary>
    internal void InjectDatagram(IPEndPoint from, byte[] datagram) => Route(from, datagram);

    private void Route(IPEndPoint from, byte[] datagram)
    {
        if (RouteNative(from, datagram))
        {
            return;
        }

        bool hello = DtlsRecords.IsClientHello(datagram);
        if (_peers.TryGetValue(from, out DtlsSession? session))
        {
            if (!(hello && session.IsEstablished) && !session.IsClosed)
            {
                session.OnDatagram(datagram);
                return;
            }

            // A new ClientHello on an established association, or traffic for a closed one: the client restarted.
            Forget(session);
            if (!hello)
            {
                Interlocked.Increment(ref _droppedDatagrams);
                return;
            }
        }
        else if (!hello)
        {
            Interlocked.Increment(ref _droppedDatagrams);
            return;
        }

        if (_peers.Count >= _options.MaxSessions)
        {
            Interlocked.Increment(ref _droppedHellos);
            return;
        }

        if (Interlocked.Increment(ref _handshaking) > _options.MaxConcurrentHandshakes)
        {
            Interlocked.Decrement(ref _handshaking);
            Interlocked.Increment(ref _droppedHellos);
            return;
        }

        var fresh = new DtlsSession(from, (b, o, l) => SendRaw(from, b, o, l), Deliver, _options.MaxDatagramSize + 128, _options.TimeProvider);
        _peers[from] = fresh;
        fresh.OnDatagram(datagram);
        _ = HandshakeAsync(fresh);
    }

    private async Task HandshakeAsync(DtlsSession session)
    {
        var server = new TernTlsServer(_options, session.Monitor);
        var protocol = new Org.BouncyCastle.Crypto.Tls.DtlsServerProtocol(_random);
        try
        {
            await session.RunHandshakeAsync(t => protocol.Accept(server, t), _options.HandshakeTimeout).ConfigureAwait(false);
        }
        catch (DtlsException e)
        {
            Forget(session);
            Log.HandshakeFailed(_options.Logger, session.Peer.ToString(), e.Kind, e.Message);
            HandshakeFailed?.Invoke(this, new DtlsHandshakeFailedEventArgs(new CoapPeer(session.Peer), e));
            return;
        }
        finally
        {
            Interlocked.Decrement(ref _handshaking);
        }

        DtlsPeerInfo info = session.Monitor.ToPeerInfo();
        Log.SessionEstablished(_options.Logger, session.Peer.ToString(), info.CipherSuite, resumed: false);
        SessionEstablished?.Invoke(this, new DtlsSessionEventArgs(new CoapPeer(session.Peer), info));
    }

    private void Forget(DtlsSession session)
    {
        if (_peers.TryGetValue(session.Peer, out DtlsSession? current) && ReferenceEquals(current, session))
        {
            _peers.TryRemove(new KeyValuePair<IPEndPoint, DtlsSession>(session.Peer, session));
        }

        session.Close();
    }

    private void CloseIdleSessions()
    {
        if (_options.IdleTimeout is not { } idle)
        {
            return;
        }

        DateTimeOffset now = _options.TimeProvider.GetUtcNow();
        CloseIdleNativeSessions(now, idle);
        foreach (DtlsSession session in _peers.Values)
        {
            if (session.IsClosed || (session.IsEstablished && now - session.LastActivity >= idle))
            {
                Log.SessionIdle(_options.Logger, session.Peer.ToString());
                Forget(session);
            }
        }
    }

    private void SendRaw(IPEndPoint to, byte[] buffer, int offset, int length) => SendRaw(to, buffer.AsSpan(offset, length));

    private void Deliver(DtlsSession session, byte[] plaintext) => _received.Writer.TryWrite((session.Peer, plaintext));
}
