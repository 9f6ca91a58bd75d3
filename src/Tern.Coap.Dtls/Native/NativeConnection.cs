using System.Net;
using System.Security.Cryptography;

namespace Tern.Coap.Dtls.Native;

/// <summary>
/// One client's DTLS 1.2 association on Tern's own server engine (PSK or ECDHE_ECDSA, see <see cref="NativeServerEngine"/>): the handshake
/// after a cookied ClientHello, full or abbreviated, then the protected record layer. Datagrams from the socket loop,
/// sends from the application and retransmission timers all take <see cref="_gate"/>; notifications to the engine
/// (established, failed, closed) are made after the lock is released.
/// </summary>
internal sealed partial class NativeConnection : IDisposable
{
    private readonly object _gate = new();
    private readonly NativeServerEngine _engine;
    private readonly IncrementalHash _transcript = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly HandshakeReassembler _reassembler = new();
    private readonly ITimer _timer;
    private readonly DateTimeOffset _deadline;
    private State _state;
    private ReplayWindow _replay;
    private IRecordCipher? _read;
    private IRecordCipher? _write;
    private long _writeSequence0;
    private long _writeSequence1;
    private ushort _nextReceiveSeq;
    private ushort _nextSendSeq;
    private Action? _pendingNotification;
    private long _lastActivity;
    private long _dropped;
    private const int MaxEarlyRecords = 4;
    private readonly List<byte[]> _early = [];

    public NativeConnection(NativeServerEngine engine, IPEndPoint peer)
    {
        _engine = engine;
        Peer = peer;
        TimeProvider time = engine.Options.TimeProvider;
        _deadline = time.GetUtcNow() + engine.Options.HandshakeTimeout;
        _timer = time.CreateTimer(static s => ((NativeConnection)s!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        Touch();
    }

    private enum State
    {
        Starting,
        AwaitingClientCertificate,
        AwaitingClientKeyExchange,
        AwaitingCertificateVerify,
        AwaitingChangeCipherSpec,
        AwaitingFinished,
        Established,
        Closed,
    }

    public IPEndPoint Peer { get; }

    public bool IsEstablished => _state == State.Established;

    public bool IsClosed => _state == State.Closed;

    public bool Resumed { get; private set; }

    public string? PskIdentity { get; private set; }

    /// <summary>Set once the connection counted as a handshake in progress has left that count.</summary>
    public int HandshakeReleased;

    public long DroppedDatagrams => Interlocked.Read(ref _dropped);

    public DateTimeOffset LastActivity => new(Interlocked.Read(ref _lastActivity), TimeSpan.Zero);

    /// <summary>The random of the ClientHello that started this handshake: a cookied hello with the same one is a retransmission.</summary>
    public byte[]? ClientRandom { get; private set; }

    /// <summary>Takes one datagram from the client's address.</summary>
    public void OnDatagram(ReadOnlySpan<byte> datagram)
    {
        lock (_gate)
        {
            if (_state == State.Closed)
            {
                return;
            }

            bool retransmit = false;
            bool accepted = false;
            int offset = 0;
            while (_state != State.Closed && DtlsRecord.TryRead(datagram, ref offset, out RecordHeader header, out ReadOnlySpan<byte> fragment))
            {
                accepted |= header.IsDtls && (header.Epoch == 0 ? OnPlainRecord(header, fragment, ref retransmit) : OnProtectedRecord(header, fragment, ref retransmit));
            }

            if (!accepted)
            {
                Interlocked.Increment(ref _dropped);
            }

            if (retransmit && _state != State.Closed)
            {
                SendFlight();
            }
        }

        Notify();
    }

    /// <summary>Protects and sends one application datagram; false when the connection is not established.</summary>
    public bool Send(ReadOnlySpan<byte> plaintext)
    {
        lock (_gate)
        {
            if (_state != State.Established || _write is null)
            {
                return false;
            }

            byte[] datagram = new byte[DtlsRecord.HeaderLength + plaintext.Length + _write.Overhead];
            int length = WriteProtected(datagram, DtlsRecord.ApplicationData, plaintext);
            _engine.SendDatagram(Peer, datagram.AsSpan(0, length));
        }

        Touch();
        return true;
    }

    /// <summary>Ends the association; with <paramref name="closeNotify"/> an established one tells the client first.</summary>
    public void Close(bool closeNotify)
    {
        lock (_gate)
        {
            if (_state == State.Established && closeNotify && _write is not null)
            {
                Span<byte> datagram = stackalloc byte[DtlsRecord.HeaderLength + 2 + RecordCiphers.MaxOverhead];
                int length = WriteProtected(datagram, DtlsRecord.Alert, [1, 0]);
                _engine.SendDatagram(Peer, datagram[..length]);
            }

            _state = State.Closed;
            _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
    }

    public void Dispose()
    {
        Close(closeNotify: false);
        _timer.Dispose();
        lock (_gate)
        {
            _read?.Dispose();
            _write?.Dispose();
            ReleaseKeyExchange();
            _transcript.Dispose();
        }
    }

    private void Touch() => Interlocked.Exchange(ref _lastActivity, _engine.Options.TimeProvider.GetUtcNow().UtcTicks);

    private bool OnPlainRecord(RecordHeader header, ReadOnlySpan<byte> fragment, ref bool retransmit)
    {
        switch (header.Type)
        {
            case DtlsRecord.Handshake:
                return OnHandshakeRecord(fragment, epoch: 0, ref retransmit);
            case DtlsRecord.ChangeCipherSpec when fragment.Length == 1 && fragment[0] == 1:
                if (_state == State.AwaitingChangeCipherSpec)
                {
                    _state = State.AwaitingFinished;
                }

                return true;
            case DtlsRecord.Alert when fragment.Length == 2 && _state != State.Established:
                // An unprotected alert can only end a handshake: an established session ignores it (anyone can forge one).
                if (fragment[0] == 2 || fragment[1] == 0)
                {
                    Fail(new DtlsException(fragment[1] == 0 ? DtlsErrorKind.Closed : DtlsErrorKind.AlertReceived,
                        $"The client ended the handshake with alert {fragment[1]}.", null, fragment[1]), sendAlert: null);
                }

                return true;
            default:
                return false;
        }
    }

    private bool OnProtectedRecord(RecordHeader header, ReadOnlySpan<byte> fragment, ref bool retransmit)
    {
        if (header.Epoch != 1 || _read is null || _state is State.AwaitingClientCertificate or State.AwaitingClientKeyExchange
            || !_replay.IsFresh(header.Sequence) || fragment.Length > 16384 + _read.Overhead)
        {
            return false;
        }

        byte[] plaintext = new byte[Math.Max(0, fragment.Length - _read.Overhead)];
        if (!_read.TryOpen(DtlsRecord.EpochAndSequence(1, header.Sequence), header.Type, header.Version, fragment, plaintext, out int length))
        {
            if (_state is State.AwaitingFinished or State.AwaitingChangeCipherSpec)
            {
                // The client's Finished does not authenticate under the keys we derived: the two sides hold different keys.
                Fail(new DtlsException(DtlsErrorKind.DecryptError, IsEcdhe
                    ? "The client's Finished could not be decrypted: the two sides derived different keys."
                    : "The client's Finished could not be decrypted: the client holds a different key for its PSK identity."), sendAlert: 20);
            }

            return false; // RFC 6347 §4.1.2.7: invalid records of an established session are dropped silently.
        }

        _replay.Mark(header.Sequence);
        if (_state == State.AwaitingChangeCipherSpec)
        {
            // An authenticated record of epoch 1 shows the client changed cipher spec: its CCS record was lost or reordered.
            _state = State.AwaitingFinished;
        }

        ReadOnlySpan<byte> content = plaintext.AsSpan(0, length);
        switch (header.Type)
        {
            case DtlsRecord.ApplicationData when _state == State.Established:
                Touch();
                byte[] data = content.ToArray();
                _pendingNotification += () => _engine.Deliver(this, data);
                return true;
            case DtlsRecord.ApplicationData when _state == State.AwaitingFinished && _early.Count < MaxEarlyRecords:
                // The client sent data right after its Finished, which is lost or still on its way: held until the Finished verifies.
                _early.Add(content.ToArray());
                return true;
            case DtlsRecord.Handshake:
                return OnHandshakeRecord(content, epoch: 1, ref retransmit);
            case DtlsRecord.Alert when content.Length == 2:
                if (content[0] == 2 || content[1] == 0)
                {
                    bool wasEstablished = _state == State.Established;
                    _state = State.Closed;
                    _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                    if (wasEstablished)
                    {
                        _pendingNotification += () => _engine.OnClosed(this);
                    }
                    else
                    {
                        var error = new DtlsException(DtlsErrorKind.AlertReceived, $"The client ended the handshake with alert {content[1]}.", null, content[1]);
                        _pendingNotification += () => _engine.OnFailed(this, error);
                    }
                }

                return true;
            default:
                return true;
        }
    }

    private void Notify()
    {
        Action? pending;
        lock (_gate)
        {
            pending = _pendingNotification;
            _pendingNotification = null;
        }

        pending?.Invoke();
    }
}
