using System.Collections.Concurrent;
using Org.BouncyCastle.Crypto.Tls;

namespace Tern.Coap.Dtls.Internal;

/// <summary>
/// BouncyCastle's datagram interface over a queue that the socket loop fills and a send callback. During the
/// handshake BouncyCastle blocks on the queue (on its own thread); afterwards the session pumps records through
/// without blocking. Nothing here throws on bad bytes: BouncyCastle parses, this only moves datagrams.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "Blocking waits pass a timeout and token, so no wait handle is ever allocated.")]
internal sealed class QueuedDatagramTransport : DatagramTransport
{
    private const int QueueCapacity = 64;
    private readonly BlockingCollection<byte[]> _inbox = new(new ConcurrentQueue<byte[]>(), QueueCapacity);
    private readonly Action<byte[], int, int> _send;
    private readonly int _limit;
    private readonly CancellationToken _abort;
    private volatile bool _pumping;

    public QueuedDatagramTransport(Action<byte[], int, int> send, int limit, CancellationToken abort)
    {
        _send = send;
        _limit = limit;
        _abort = abort;
    }

    /// <summary>Once set, an empty queue answers "nothing yet" at once instead of blocking.</summary>
    public bool Pumping
    {
        get => _pumping;
        set => _pumping = value;
    }

    public long BytesSent;

    /// <summary>Queues one received datagram; drops it when the queue is full (a peer flooding one session).</summary>
    public bool Enqueue(byte[] datagram) => _inbox.TryAdd(datagram);

    public int GetReceiveLimit() => _limit;

    public int GetSendLimit() => _limit;

    public int Receive(byte[] buf, int off, int len, int waitMillis)
    {
        byte[]? datagram;
        if (_pumping)
        {
            if (!_inbox.TryTake(out datagram))
            {
                return -1;
            }
        }
        else
        {
            try
            {
                if (!_inbox.TryTake(out datagram, Math.Max(1, waitMillis), _abort))
                {
                    return -1;
                }
            }
            catch (OperationCanceledException)
            {
                throw new HandshakeAbortedException();
            }
        }

        int length = Math.Min(len, datagram.Length);
        Array.Copy(datagram, 0, buf, off, length);
        return length;
    }

    public void Send(byte[] buf, int off, int len)
    {
        Interlocked.Add(ref BytesSent, len);
        _send(buf, off, len);
    }

    public void Close()
    {
        // The socket belongs to the transport that created this queue.
    }
}

/// <summary>Thrown into BouncyCastle's handshake when the deadline passes or the transport is disposed.</summary>
internal sealed class HandshakeAbortedException : IOException
{
    public HandshakeAbortedException()
        : base("The DTLS handshake was aborted.")
    {
    }
}
