using System.Security.Cryptography;

namespace Tern.Coap.Dtls.Native;

/// <content>
/// The server side of the handshake, common to both key exchanges. Full (RFC 5246 §7.3; the key exchange's own
/// messages are in <c>NativeConnection.Psk.cs</c> and <c>NativeConnection.Ecdhe.cs</c>):
/// <code>
///   ClientHello(cookie)  ──▶
///                        ◀──  ServerHello, [Certificate], [ServerKeyExchange], [CertificateRequest], ServerHelloDone
///   [Certificate], ClientKeyExchange, [CertificateVerify], ChangeCipherSpec, Finished  ──▶
///                        ◀──  ChangeCipherSpec, Finished
/// </code>
/// Abbreviated, when the ClientHello offers a cached session id whose suite it also offers, with the same extended-master-secret
/// choice, and whose client is still known (PSK identity in the store, certificate chain still valid):
/// <code>
///   ClientHello(cookie, session id)  ──▶
///                        ◀──  ServerHello(same id), ChangeCipherSpec, Finished
///   ChangeCipherSpec, Finished  ──▶
/// </code>
/// The transcript starts at the cookied ClientHello (RFC 6347 §4.2.1: the first ClientHello and the HelloVerifyRequest
/// are not part of it) and hashes each message as one whole fragment (§4.2.6).
/// </content>
internal sealed partial class NativeConnection
{
    public const ushort PskSuite = (ushort)DtlsCipherSuite.PskWithAes128Ccm8;
    public const int SessionIdLength = 8;
    private byte[] _clientRandom = [];
    private byte[] _serverRandom = [];
    private byte[] _sessionId = [];
    private byte[]? _master;
    private bool _extendedMasterSecret;
    private ushort _suite;
    private FlightMessage[] _flight = [];

    /// <summary>The negotiated suite (0 before the ServerHello).</summary>
    public DtlsCipherSuite CipherSuite => (DtlsCipherSuite)_suite;

    /// <summary>Who the client proved to be: its PSK identity, or the leaf of its certificate chain.</summary>
    public DtlsPeerInfo PeerInfo => new(CipherSuite, PskIdentity, ClientChain is { Length: > 0 } chain ? chain[0] : null);

    private bool IsEcdhe => _suite != PskSuite;

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
            if (cached is not null && CanResume(hello, cached))
            {
                StartAbbreviated(hello, cached);
            }
            else
            {
                _suite = _engine.SelectSuite(hello);
                if (IsEcdhe)
                {
                    StartEcdhe(hello);
                }
                else
                {
                    StartPsk(hello);
                }
            }
        }

        Notify();
    }

    private bool CanResume(ClientHello hello, CachedSession cached)
    {
        if (!hello.Offers(cached.CipherSuite) || !_engine.Implements(cached.CipherSuite) || cached.ExtendedMasterSecret != hello.OffersExtendedMasterSecret)
        {
            return false;
        }

        if (cached.ClientChain is { } chain)
        {
            // A certificate that expired since the full handshake does not come back through resumption. Its signatures
            // were verified then against anchors that cannot change, so the dates are all that is left to check (a
            // signature check in BouncyCastle would cost more than the rest of the abbreviated handshake).
            DateTime now = _engine.Options.TimeProvider.GetUtcNow().UtcDateTime;
            return Array.TrueForAll(chain, certificate => certificate.IsValid(now));
        }

        return cached.PskIdentity is { } identity ? _engine.Options.PskStore?.GetKey(identity) is not null : !_engine.Options.RequireClientCertificate;
    }

    /// <summary>Sends the first flight of a full handshake and waits for the client's.</summary>
    private void SendFirstFlight(List<FlightMessage> flight, State next)
    {
        flight.Add(Handshake(HandshakeMessage.ServerHelloDone, []));
        _flight = [.. flight];
        _state = next;
        ArmRetransmission(reset: true); // armed first: whoever sees the flight may already move the clock
        SendFlight();
    }

    /// <summary>A fresh session id for a full handshake; none when there is no cache to resume it from.</summary>
    private byte[] NewSessionId() =>
        // Session ids are public labels, not secrets (resuming needs the master secret), and each byte is paid three
        // times on the wire of a resumption; 8 random bytes keep collisions in a cache of any sane size negligible.
        _engine.Cache is null ? [] : RandomNumberGenerator.GetBytes(SessionIdLength);

    private void StartAbbreviated(ClientHello hello, CachedSession cached)
    {
        Resumed = true;
        _suite = cached.CipherSuite;
        PskIdentity = cached.PskIdentity;
        ClientChain = cached.ClientChain;
        _sessionId = cached.SessionId;
        _master = cached.MasterSecret;
        FlightMessage serverHello = Handshake(HandshakeMessage.ServerHello, ServerMessages.ServerHello(
            _serverRandom, _sessionId, _suite, hello.OffersSecureRenegotiation, _extendedMasterSecret, IsEcdhe && hello.PointFormats is not null));
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

    /// <summary>Takes the client's message with the expected message_seq into the transcript.</summary>
    private void Accept(byte type, byte[] body) => _transcript.AppendData(HandshakeMessage.Build(type, _nextReceiveSeq++, body));

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
        switch (type, epoch, _state)
        {
            case (HandshakeMessage.Certificate, 0, State.AwaitingClientCertificate):
                OnClientCertificate(body);
                break;
            case (HandshakeMessage.ClientKeyExchange, 0, State.AwaitingClientKeyExchange) when IsEcdhe:
                OnEcdheClientKeyExchange(body);
                break;
            case (HandshakeMessage.ClientKeyExchange, 0, State.AwaitingClientKeyExchange):
                OnPskClientKeyExchange(body);
                break;
            case (HandshakeMessage.CertificateVerify, 0, State.AwaitingCertificateVerify):
                OnCertificateVerify(body);
                break;
            case (HandshakeMessage.Finished, 1, State.AwaitingFinished):
                OnClientFinished(body);
                break;
            default:
                Fail(new DtlsException(DtlsErrorKind.ProtocolError, $"Unexpected handshake message {type} in state {_state}."), sendAlert: 10);
                break;
        }
    }

    /// <summary>The master secret from the premaster secret, once the transcript holds the ClientKeyExchange; then the keys.</summary>
    private void DeriveMasterSecret(byte[] premaster)
    {
        _master = _extendedMasterSecret
            ? TlsPrf.ExtendedMasterSecret(premaster, _transcript.GetCurrentHash())
            : TlsPrf.MasterSecret(premaster, _clientRandom, _serverRandom);
        CryptographicOperations.ZeroMemory(premaster);
        DeriveKeys();
    }

    private void OnClientFinished(byte[] body)
    {
        byte[] expected = TlsPrf.VerifyData(_master!, client: true, _transcript.GetCurrentHash());
        if (!CryptographicOperations.FixedTimeEquals(expected, body))
        {
            Fail(new DtlsException(DtlsErrorKind.DecryptError, "The client's Finished did not verify: the two sides derived different keys.", null, 51), sendAlert: 51);
            return;
        }

        Accept(HandshakeMessage.Finished, body);
        if (!Resumed)
        {
            FlightMessage finished = Handshake(HandshakeMessage.Finished, TlsPrf.VerifyData(_master!, client: false, _transcript.GetCurrentHash()), epoch: 1);
            _flight = [FlightMessage.ChangeCipherSpec, finished];
            _engine.Cache?.Add(new CachedSession(_sessionId, _master!, _suite, _extendedMasterSecret, PskIdentity, _engine.Options.TimeProvider.GetUtcNow(), ClientChain));
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

        ReleaseKeyExchange();
        Touch();
        _pendingNotification += () => _engine.OnEstablished(this);
        foreach (byte[] early in _early)
        {
            _pendingNotification += () => _engine.Deliver(this, early);
        }

        _early.Clear();
    }

    private void DeriveKeys() => (_read, _write) = RecordCiphers.FromMasterSecret(_suite, _master, _clientRandom, _serverRandom);

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
        ReleaseKeyExchange();
        _pendingNotification += () => _engine.OnFailed(this, error);
    }
}
