using System.Security.Cryptography;
using System.Text;

namespace Tern.Coap.Dtls.Psk;

/// <content>
/// The server side of the handshake. Full (RFC 5246 §7.3, RFC 4279):
/// <code>
///   ClientHello(cookie)  ──▶
///                        ◀──  ServerHello, [ServerKeyExchange(hint)], ServerHelloDone
///   ClientKeyExchange, ChangeCipherSpec, Finished  ──▶
///                        ◀──  ChangeCipherSpec, Finished
/// </code>
/// Abbreviated, when the ClientHello offers a cached session id with the same suite and extended-master-secret choice:
/// <code>
///   ClientHello(cookie, session id)  ──▶
///                        ◀──  ServerHello(same id), ChangeCipherSpec, Finished
///   ChangeCipherSpec, Finished  ──▶
/// </code>
/// The transcript starts at the cookied ClientHello (RFC 6347 §4.2.1: the first ClientHello and the HelloVerifyRequest
/// are not part of it) and hashes each message as one whole fragment (§4.2.6).
/// </content>
internal sealed partial class PskConnection
{
    public const ushort Suite = (ushort)DtlsCipherSuite.PskWithAes128Ccm8;
    public const int SessionIdLength = 8;
    private byte[] _clientRandom = [];
    private byte[] _serverRandom = [];
    private byte[] _sessionId = [];
    private byte[]? _master;
    private bool _extendedMasterSecret;
    private FlightMessage[] _flight = [];

    /// <summary>Answers a ClientHello whose cookie verified: the first flight of a full or an abbreviated handshake.</summary>
    public void Start(ClientHello hello, ushort messageSeq, long recordSequence, ReadOnlySpan<byte> helloBody)
    {
        lock (_gate)
        {
            ClientRandom = hello.Random;
            _clientRandom = hello.Random;
            _serverRandom = RandomNumberGenerator.GetBytes(32);
            _nextReceiveSeq = (ushort)(messageSeq + 1);
            _nextSendSeq = messageSeq;
            _writeSequence0 = recordSequence;
            _extendedMasterSecret = hello.OffersExtendedMasterSecret;
            _transcript.AppendData(HandshakeMessage.Build(HandshakeMessage.ClientHello, messageSeq, helloBody));

            CachedSession? cached = _engine.Cache?.Find(hello.SessionId);
            if (cached is not null && cached.CipherSuite == Suite && cached.ExtendedMasterSecret == hello.OffersExtendedMasterSecret
                && _engine.Options.PskStore?.GetKey(cached.PskIdentity) is not null)
            {
                StartAbbreviated(hello, cached);
            }
            else
            {
                StartFull(hello);
            }
        }
    }

    private void StartFull(ClientHello hello)
    {
        // Session ids are public labels, not secrets (resuming needs the master secret), and each byte is paid three
        // times on the wire of a resumption; 8 random bytes keep collisions in a cache of any sane size negligible.
        _sessionId = _engine.Cache is null ? [] : RandomNumberGenerator.GetBytes(SessionIdLength);
        var flight = new List<FlightMessage>(3) { Handshake(HandshakeMessage.ServerHello, ServerMessages.ServerHello(
            _serverRandom, _sessionId, Suite, hello.OffersSecureRenegotiation, _extendedMasterSecret)) };
        if (_engine.Options.PskIdentityHint is { } hint)
        {
            flight.Add(Handshake(HandshakeMessage.ServerKeyExchange, ServerMessages.PskServerKeyExchange(Encoding.UTF8.GetBytes(hint))));
        }

        flight.Add(Handshake(HandshakeMessage.ServerHelloDone, []));
        _flight = [.. flight];
        _state = State.AwaitingClientKeyExchange;
        ArmRetransmission(reset: true); // armed first: whoever sees the flight may already move the clock
        SendFlight();
    }

    private void StartAbbreviated(ClientHello hello, CachedSession cached)
    {
        Resumed = true;
        PskIdentity = cached.PskIdentity;
        _sessionId = cached.SessionId;
        _master = cached.MasterSecret;
        FlightMessage serverHello = Handshake(HandshakeMessage.ServerHello, ServerMessages.ServerHello(
            _serverRandom, _sessionId, Suite, hello.OffersSecureRenegotiation, _extendedMasterSecret));
        DeriveKeys();
        FlightMessage finished = Handshake(HandshakeMessage.Finished, TlsPrf.VerifyData(_master, client: false, _transcript.GetCurrentHash()), epoch: 1);
        _flight = [serverHello, FlightMessage.ChangeCipherSpec, finished];
        _state = State.AwaitingChangeCipherSpec;
        ArmRetransmission(reset: true); // armed first: whoever sees the flight may already move the clock
        SendFlight();
    }

    /// <summary>Builds a handshake message with the next message_seq and adds it to the transcript.</summary>
    private FlightMessage Handshake(byte type, ReadOnlySpan<byte> body, ushort epoch = 0)
    {
        byte[] message = HandshakeMessage.Build(type, _nextSendSeq++, body);
        _transcript.AppendData(message);
        return new FlightMessage(DtlsRecord.Handshake, epoch, message);
    }

    private bool OnHandshakeRecord(ReadOnlySpan<byte> records, ushort epoch, ref bool retransmit)
    {
        int offset = 0;
        bool any = false;
        while (_state != State.Closed && HandshakeMessage.TryRead(records, ref offset, out HandshakeFragment fragment, out ReadOnlySpan<byte> body))
        {
            any = true;
            if (fragment.MessageSeq < _nextReceiveSeq)
            {
                // The last message of the client's previous flight again: it lost (part of) our flight. Earlier messages
                // of that flight are ignored, so a flight repeated in several datagrams is answered once.
                retransmit |= fragment.MessageSeq == _nextReceiveSeq - 1 && fragment.FragmentOffset + fragment.FragmentLength == fragment.Length;
                continue;
            }

            if (fragment.MessageSeq > _nextReceiveSeq || _state == State.Established)
            {
                continue;
            }

            byte[]? message = _reassembler.Add(fragment, body);
            if (message is not null)
            {
                OnMessage(fragment.Type, message, epoch);
            }
        }

        return any;
    }

    private void OnMessage(byte type, byte[] body, ushort epoch)
    {
        if (type == HandshakeMessage.ClientKeyExchange && epoch == 0 && _state == State.AwaitingClientKeyExchange)
        {
            OnClientKeyExchange(body);
        }
        else if (type == HandshakeMessage.Finished && epoch == 1 && _state == State.AwaitingFinished)
        {
            OnClientFinished(body);
        }
        else
        {
            Fail(new DtlsException(DtlsErrorKind.ProtocolError, $"Unexpected handshake message {type} in state {_state}."), sendAlert: 10);
        }
    }

    private void OnClientKeyExchange(byte[] body)
    {
        byte[]? identityBytes = ServerMessages.PskIdentity(body);
        if (identityBytes is null)
        {
            Fail(new DtlsException(DtlsErrorKind.ProtocolError, "Malformed ClientKeyExchange."), sendAlert: 50);
            return;
        }

        string identity = Encoding.UTF8.GetString(identityBytes);
        byte[]? key = _engine.Options.PskStore?.GetKey(identity);
        if (key is null)
        {
            Fail(new DtlsException(DtlsErrorKind.UnknownPskIdentity, $"The client presented PSK identity '{identity}', which the server does not know.", null, 115), sendAlert: 115);
            return;
        }

        PskIdentity = identity;
        _nextReceiveSeq++;
        _transcript.AppendData(HandshakeMessage.Build(HandshakeMessage.ClientKeyExchange, (ushort)(_nextReceiveSeq - 1), body));
        byte[] premaster = TlsPrf.PskPremasterSecret(key);
        _master = _extendedMasterSecret
            ? TlsPrf.ExtendedMasterSecret(premaster, _transcript.GetCurrentHash())
            : TlsPrf.MasterSecret(premaster, _clientRandom, _serverRandom);
        CryptographicOperations.ZeroMemory(premaster);
        DeriveKeys();
        _state = State.AwaitingChangeCipherSpec;
    }

    private void OnClientFinished(byte[] body)
    {
        byte[] expected = TlsPrf.VerifyData(_master!, client: true, _transcript.GetCurrentHash());
        if (!CryptographicOperations.FixedTimeEquals(expected, body))
        {
            Fail(new DtlsException(DtlsErrorKind.DecryptError, "The client's Finished did not verify: the two sides derived different keys.", null, 51), sendAlert: 51);
            return;
        }

        _transcript.AppendData(HandshakeMessage.Build(HandshakeMessage.Finished, _nextReceiveSeq++, body));
        if (!Resumed)
        {
            FlightMessage finished = Handshake(HandshakeMessage.Finished, TlsPrf.VerifyData(_master!, client: false, _transcript.GetCurrentHash()), epoch: 1);
            _flight = [FlightMessage.ChangeCipherSpec, finished];
            _engine.Cache?.Add(new CachedSession(_sessionId, _master!, Suite, _extendedMasterSecret, PskIdentity!, _engine.Options.TimeProvider.GetUtcNow()));
        }

        _state = State.Established;
        _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        if (!Resumed)
        {
            SendFlight(); // kept: a retransmitted client flight means this one was lost
        }
        else
        {
            _flight = [];
        }

        Touch();
        _pendingNotification += () => _engine.OnEstablished(this);
        foreach (byte[] early in _early)
        {
            _pendingNotification += () => _engine.Deliver(this, early);
        }

        _early.Clear();
    }

    private void DeriveKeys() => (_read, _write) = CcmRecordCipher.FromMasterSecret(_master, _clientRandom, _serverRandom);

    /// <summary>Ends the handshake: optionally a fatal alert (in the clear, epoch 0), then the engine forgets this peer.</summary>
    private void Fail(DtlsException error, byte? sendAlert)
    {
        if (_state == State.Closed)
        {
            return;
        }

        if (sendAlert is { } description)
        {
            Span<byte> datagram = stackalloc byte[DtlsRecord.HeaderLength + 2];
            DtlsRecord.WriteHeader(datagram, DtlsRecord.Alert, DtlsRecord.Dtls12, 0, _writeSequence0++, 2);
            datagram[DtlsRecord.HeaderLength] = 2;
            datagram[DtlsRecord.HeaderLength + 1] = description;
            _engine.SendDatagram(Peer, datagram);
        }

        _state = State.Closed;
        _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _pendingNotification += () => _engine.OnFailed(this, error);
    }
}
