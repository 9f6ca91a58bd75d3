namespace Tern.Coap.Dtls.Psk;

/// <summary>A message of a flight as it is (re)sent: content type, epoch, and the whole handshake message or CCS body.</summary>
internal sealed record FlightMessage(byte Type, ushort Epoch, byte[] Content)
{
    public static FlightMessage ChangeCipherSpec { get; } = new(DtlsRecord.ChangeCipherSpec, 0, [1]);
}

/// <content>
/// Writing records and flights, and the retransmission timer (RFC 6347 §4.2.4): a flight that awaits an answer is
/// sent again after 1 s, doubling up to 60 s, until the answer or the handshake deadline. Every transmission gets
/// fresh record sequence numbers, so a retransmitted protected Finished is sealed again rather than replayed.
/// </content>
internal sealed partial class PskConnection
{
    private static readonly TimeSpan InitialRetransmission = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxRetransmission = TimeSpan.FromSeconds(60);
    private TimeSpan _retransmission = InitialRetransmission;

    public int FlightsSent { get; private set; }

    private void SendFlight()
    {
        if (_flight.Length == 0)
        {
            return;
        }

        int size = 0;
        foreach (FlightMessage message in _flight)
        {
            size += DtlsRecord.HeaderLength + message.Content.Length + (message.Epoch == 1 ? CcmRecordCipher.Overhead : 0);
        }

        // A PSK flight is a few hundred bytes at most (the identity hint is bounded by the options), so one datagram carries it.
        byte[] datagram = new byte[size];
        int length = 0;
        foreach (FlightMessage message in _flight)
        {
            if (message.Epoch == 0)
            {
                DtlsRecord.WriteHeader(datagram.AsSpan(length), message.Type, DtlsRecord.Dtls12, 0, _writeSequence0++, message.Content.Length);
                message.Content.CopyTo(datagram.AsSpan(length + DtlsRecord.HeaderLength));
                length += DtlsRecord.HeaderLength + message.Content.Length;
            }
            else
            {
                length += WriteProtected(datagram.AsSpan(length), message.Type, message.Content);
            }
        }

        FlightsSent++;
        _engine.SendDatagram(Peer, datagram.AsSpan(0, length));
    }

    /// <summary>Seals <paramref name="content"/> into an epoch-1 record at the start of <paramref name="destination"/>; returns its length.</summary>
    private int WriteProtected(Span<byte> destination, byte type, ReadOnlySpan<byte> content)
    {
        long sequence = _writeSequence1++;
        int fragment = _write!.Seal(DtlsRecord.EpochAndSequence(1, sequence), type, DtlsRecord.Dtls12, content, destination[DtlsRecord.HeaderLength..]);
        DtlsRecord.WriteHeader(destination, type, DtlsRecord.Dtls12, 1, sequence, fragment);
        return DtlsRecord.HeaderLength + fragment;
    }

    private void ArmRetransmission(bool reset)
    {
        _retransmission = reset ? InitialRetransmission : TimeSpan.FromTicks(Math.Min(MaxRetransmission.Ticks, _retransmission.Ticks * 2));
        TimeSpan untilDeadline = _deadline - _engine.Options.TimeProvider.GetUtcNow();
        TimeSpan due = untilDeadline < _retransmission ? untilDeadline : _retransmission;
        _timer.Change(due > TimeSpan.Zero ? due : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
    }

    private void OnTimer()
    {
        lock (_gate)
        {
            if (_state is State.Established or State.Closed)
            {
                return;
            }

            if (_engine.Options.TimeProvider.GetUtcNow() >= _deadline)
            {
                Fail(new DtlsException(DtlsErrorKind.HandshakeTimeout, "The client did not complete the DTLS handshake in time."), sendAlert: null);
            }
            else
            {
                SendFlight();
                ArmRetransmission(reset: false);
            }
        }

        Notify();
    }
}
