using System.Net;
using Org.BouncyCastle.Crypto.Tls;

namespace Tern.Coap.Dtls.Internal;

/// <summary>
/// One DTLS association with one peer. The handshake runs on a dedicated thread blocking on the datagram queue;
/// once it completes, datagrams from the socket loop are authenticated and pumped through BouncyCastle under a
/// lock without blocking, and plaintext goes to <see cref="_deliver"/>. BouncyCastle is not thread-safe, so every
/// call into the established session holds <see cref="_gate"/>.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "The token source has no timer and no wait handle to release; sessions are dropped, not disposed, by the socket loop.")]
internal sealed class DtlsSession
{
    private readonly object _gate = new();
    private readonly Action<DtlsSession, byte[]> _deliver;
    private readonly CancellationTokenSource _abort = new();
    private readonly TimeProvider _time;
    private readonly byte[] _plaintext;
    private DtlsTransport? _dtls;
    private volatile bool _failed;
    private long _lastActivity;

    public DtlsSession(IPEndPoint peer, Action<byte[], int, int> send, Action<DtlsSession, byte[]> deliver, int datagramLimit, TimeProvider time)
    {
        Peer = peer;
        _deliver = deliver;
        _time = time;
        _plaintext = new byte[datagramLimit];
        Transport = new QueuedDatagramTransport(send, datagramLimit, _abort.Token);
        Touch();
    }

    public IPEndPoint Peer { get; }

    public HandshakeMonitor Monitor { get; } = new();

    public QueuedDatagramTransport Transport { get; }

    public bool IsEstablished => _dtls is not null && !IsClosed;

    public bool IsClosed => _failed || Monitor.CloseNotifyReceived;

    public bool TimedOut { get; private set; }

    public bool Aborted => _abort.IsCancellationRequested;

    public long BytesReceived;

    public long DroppedDatagrams;

    public DateTimeOffset LastActivity => new(Interlocked.Read(ref _lastActivity), TimeSpan.Zero);

    public void Touch() => Interlocked.Exchange(ref _lastActivity, _time.GetUtcNow().UtcTicks);

    /// <summary>Stops a running handshake (deadline or dispose); BouncyCastle's next wait throws.</summary>
    public void Abort(bool timedOut)
    {
        TimedOut |= timedOut;
        _abort.Cancel();
    }

    /// <summary>Runs <paramref name="handshake"/> on a dedicated thread with a deadline from the time provider.</summary>
    public async Task RunHandshakeAsync(Func<DatagramTransport, DtlsTransport> handshake, TimeSpan timeout)
    {
        using ITimer deadline = _time.CreateTimer(static s => ((DtlsSession)s!).Abort(timedOut: true), this, timeout, Timeout.InfiniteTimeSpan);
        DtlsTransport dtls;
        try
        {
            dtls = await Task.Factory.StartNew(() => handshake(Transport), CancellationToken.None,
                TaskCreationOptions.LongRunning | TaskCreationOptions.DenyChildAttach, TaskScheduler.Default).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Every handshake failure becomes a typed DtlsException.
        catch (Exception e)
#pragma warning restore CA1031
        {
            _failed = true;
            throw Monitor.ToException(e, TimedOut, Aborted && !TimedOut);
        }

        lock (_gate)
        {
            _dtls = dtls;
            Transport.Pumping = true;
            Touch();
            PumpLocked(int.MaxValue);
        }
    }

    /// <summary>Takes one datagram from the socket loop.</summary>
    public void OnDatagram(byte[] datagram)
    {
        Interlocked.Add(ref BytesReceived, datagram.Length);
        lock (_gate)
        {
            if (_dtls is null)
            {
                if (!Transport.Enqueue(datagram))
                {
                    DroppedDatagrams++;
                }

                return;
            }

            GuardedCipher? guard = Monitor.Cipher;
            if (guard is null || !DtlsRecords.VerifyProtectedRecords(datagram, 1, guard))
            {
                DroppedDatagrams++;
                guard?.ClearVerified();
                return;
            }

            Transport.Enqueue(datagram);
            PumpLocked(DtlsRecords.ReceiveCalls(datagram));
            guard.ClearVerified();
        }
    }

    /// <summary>Encrypts and sends one application datagram.</summary>
    public void Send(ReadOnlySpan<byte> plaintext)
    {
        byte[] copy = plaintext.ToArray();
        lock (_gate)
        {
            if (_dtls is null || IsClosed)
            {
                throw new DtlsException(DtlsErrorKind.Closed, $"The DTLS session with {Peer} is closed.");
            }

            try
            {
                _dtls.Send(copy, 0, copy.Length);
            }
            catch (Exception e) when (e is IOException or InvalidOperationException)
            {
                _failed = true;
                throw new DtlsException(DtlsErrorKind.Closed, $"Sending to {Peer} failed; the session is closed.", e);
            }
        }

        Touch();
    }

    /// <summary>Closes the session, sending close_notify when it is established.</summary>
    public void Close()
    {
        _abort.Cancel();
        lock (_gate)
        {
            if (_dtls is not null && !_failed)
            {
                try
                {
                    _dtls.Close();
                }
#pragma warning disable CA1031 // Closing is best effort: the socket may already be gone.
                catch (Exception)
#pragma warning restore CA1031
                {
                }
            }

            _failed = true;
        }
    }

    /// <summary>Feeds queued records through BouncyCastle, at most <paramref name="calls"/> Receive calls.</summary>
    private void PumpLocked(int calls)
    {
        for (int call = 0; call < calls && !IsClosed; call++)
        {
            int length;
            try
            {
                length = _dtls!.Receive(_plaintext, 0, _plaintext.Length, 1);
            }
#pragma warning disable CA1031 // A fatal alert from the peer or a broken record layer ends this session only.
            catch (Exception)
#pragma warning restore CA1031
            {
                _failed = true;
                return;
            }

            if (length < 0)
            {
                return;
            }

            Touch();
            if (length > 0)
            {
                _deliver(this, _plaintext.AsSpan(0, length).ToArray());
            }
        }
    }
}
