using System.Net;
using System.Net.Sockets;
using Org.BouncyCastle.Crypto.Tls;
using Tern.Coap.Dtls.Internal;

namespace Tern.Coap.Dtls;

/// <content>Session lifetime: handshake, reconnect after idle or failure, the socket receive loop.</content>
public sealed partial class DtlsClientTransport
{
    private async ValueTask<DtlsSession> EnsureSessionAsync(CancellationToken cancellationToken)
    {
        DtlsSession? current = _session;
        if (current is { IsEstablished: true })
        {
            return current;
        }

        ObjectDisposedException.ThrowIf(_disposed.IsCancellationRequested, this);
        await _connectGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            current = _session;
            if (current is { IsEstablished: true })
            {
                return current;
            }

            current?.Close();
            var session = new DtlsSession((IPEndPoint)_server.EndPoint, SendRaw, Deliver, _options.MaxDatagramSize + 128, _options.TimeProvider);
            _session = session;
            TlsSession? resume = _resumable;
            var client = new TernTlsClient(_options, session.Monitor, resume);
            var protocol = new DtlsClientProtocol(_random);
            using CancellationTokenRegistration onCancel = cancellationToken.Register(static s => ((DtlsSession)s!).Abort(timedOut: false), session);
            using CancellationTokenRegistration onDispose = _disposed.Token.Register(static s => ((DtlsSession)s!).Abort(timedOut: false), session);
            try
            {
                await session.RunHandshakeAsync(t => protocol.Connect(client, t), _options.HandshakeTimeout).ConfigureAwait(false);
            }
            catch (DtlsException e)
            {
                cancellationToken.ThrowIfCancellationRequested();
                Log.HandshakeFailed(_options.Logger, _server.ToString(), e.Kind, e.Message);
                _resumable = null;
                HandshakeFailed?.Invoke(this, e);
                throw;
            }

            HandshakeCount++;
            LastHandshakeResumed = session.Monitor.Resumed;
            _resumable = session.Monitor.ResumableSession ?? (LastHandshakeResumed ? resume : null);
            // An abbreviated handshake carries no certificate: the server proved the same identity when the session began.
            DtlsPeerInfo seen = session.Monitor.ToPeerInfo();
            Server = LastHandshakeResumed && seen.Certificate is null && Server?.Certificate is { } earlier ? seen with { Certificate = earlier } : seen;
            Log.SessionEstablished(_options.Logger, _server.ToString(), Server.CipherSuite, LastHandshakeResumed);
            return session;
        }
        finally
        {
            _connectGate.Release();
        }
    }

    /// <summary>Sees every datagram the client sends (tests capture records to replay them).</summary>
    internal Action<byte[]>? SentDatagramTap { get; set; }

    private void CheckIdle()
    {
        DtlsSession? session = _session;
        if (session is { IsEstablished: true } && _options.IdleTimeout is { } idle
            && _options.TimeProvider.GetUtcNow() - session.LastActivity >= idle)
        {
            Log.SessionIdle(_options.Logger, _server.ToString());
            session.Close();
        }
    }

    private void SendRaw(byte[] buffer, int offset, int length)
    {
        SentDatagramTap?.Invoke(buffer.AsSpan(offset, length).ToArray());
        Interlocked.Add(ref _bytesSent, length); // before the send, so the count never lags what the server has seen
        try
        {
            _socket.Send(buffer, offset, length, SocketFlags.None);
        }
        catch (SocketException)
        {
            // UDP: an unreachable server shows up as a handshake timeout, not as a send failure.
            Interlocked.Add(ref _bytesSent, -length);
        }
        catch (ObjectDisposedException)
        {
            Interlocked.Add(ref _bytesSent, -length);
        }
    }

    private void Deliver(DtlsSession session, byte[] plaintext) => _received.Writer.TryWrite(plaintext);

    private async Task ReceiveLoopAsync()
    {
        byte[] buffer = new byte[65536];
        while (!_disposed.IsCancellationRequested)
        {
            int length;
            try
            {
                length = await _socket.ReceiveAsync(buffer, SocketFlags.None, _disposed.Token).ConfigureAwait(false);
            }
            catch (SocketException)
            {
                continue; // ICMP port unreachable on a connected UDP socket; keep listening.
            }
            catch (Exception e) when (e is ObjectDisposedException or OperationCanceledException)
            {
                return;
            }

            Interlocked.Add(ref _bytesReceived, length);
            _session?.OnDatagram(buffer.AsSpan(0, length).ToArray());
        }
    }
}
