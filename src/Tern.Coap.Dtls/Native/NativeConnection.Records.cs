namespace Tern.Coap.Dtls.Native;

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
internal sealed partial class NativeConnection
{
    private static readonly TimeSpan InitialRetransmission = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxRetransmission = TimeSpan.FromSeconds(60);
    private TimeSpan _retransmission = InitialRetransmission;

    /// <summary>The largest datagram a flight is packed into: under the 1280-byte IPv6 minimum MTU with its headers.</summary>
    private const int FlightDatagramLimit = 1200;

    public int FlightsSent { get; private set; }

    private void SendFlight()
    {
        if (_flight.Length == 0)
        {
            return;
        }

        // A PSK flight fits one datagram; a certificate flight may not, so records are packed into datagrams of at most
        // FlightDatagramLimit bytes and a handshake message too long for one is cut into fragments (RFC 6347 §4.2.3).
        byte[] datagram = new byte[FlightDatagramLimit + RecordCiphers.MaxOverhead + DtlsRecord.HeaderLength];
        int length = 0;
        foreach (FlightMessage message in _flight)
        {
            if (message.Epoch == 1)
            {
                int size = DtlsRecord.HeaderLength + message.Content.Length + _write!.Overhead;
                Flush(datagram, ref length, size);
                length += WriteProtected(datagram.AsSpan(length), message.Type, message.Content);
                continue;
            }

            if (message.Type != DtlsRecord.Handshake || message.Content.Length + DtlsRecord.HeaderLength <= FlightDatagramLimit)
            {
                Flush(datagram, ref length, DtlsRecord.HeaderLength + message.Content.Length);
                WritePlain(datagram, ref length, message.Type, message.Content);
                continue;
            }

            ReadOnlySpan<byte> whole = message.Content;
            ReadOnlySpan<byte> body = whole[HandshakeMessage.HeaderLength..];
            const int MaxPiece = FlightDatagramLimit - DtlsRecord.HeaderLength - HandshakeMessage.HeaderLength;
            for (int offset = 0; offset < body.Length; offset += MaxPiece)
            {
                int piece = Math.Min(MaxPiece, body.Length - offset);
                byte[] fragment = new byte[HandshakeMessage.HeaderLength + piece];
                whole[..HandshakeMessage.HeaderLength].CopyTo(fragment);
                HandshakeMessage.WriteUInt24(fragment.AsSpan(6), offset);
                HandshakeMessage.WriteUInt24(fragment.AsSpan(9), piece);
                body.Slice(offset, piece).CopyTo(fragment.AsSpan(HandshakeMessage.HeaderLength));
                Flush(datagram, ref length, DtlsRecord.HeaderLength + fragment.Length);
                WritePlain(datagram, ref length, DtlsRecord.Handshake, fragment);
            }
        }

        if (length > 0)
        {
            _engine.SendDatagram(Peer, datagram.AsSpan(0, length));
        }

        FlightsSent++;
    }

    /// <summary>Sends what <paramref name="datagram"/> holds when a record of <paramref name="next"/> bytes would not fit after it.</summary>
    private void Flush(byte[] datagram, ref int length, int next)
    {
        if (length > 0 && length + next > FlightDatagramLimit)
        {
            _engine.SendDatagram(Peer, datagram.AsSpan(0, length));
            length = 0;
        }
    }

    private void WritePlain(byte[] datagram, ref int length, byte type, ReadOnlySpan<byte> content)
    {
        DtlsRecord.WriteHeader(datagram.AsSpan(length), type, DtlsRecord.Dtls12, 0, _writeSequence0++, content.Length);
        content.CopyTo(datagram.AsSpan(length + DtlsRecord.HeaderLength));
        length += DtlsRecord.HeaderLength + content.Length;
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
