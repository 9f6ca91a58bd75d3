using System.Collections.Concurrent;
using System.Net;

namespace Tern.Coap.Dtls.Psk;

/// <summary>
/// Tern's own DTLS 1.2 PSK server (TLS_PSK_WITH_AES_128_CCM_8) for all clients of one port. A ClientHello without a
/// valid cookie is answered with a HelloVerifyRequest and leaves no trace; only a cookied ClientHello (which proves
/// the client receives at its address) creates a <see cref="PskConnection"/>, within the handshake and peer limits
/// the host checks through <see cref="IPskServerHost.CanAdmit"/>. I/O and events go through the host.
/// </summary>
internal sealed class PskServerEngine : IDisposable
{
    private readonly ConcurrentDictionary<IPEndPoint, PskConnection> _connections = new();
    private readonly IPskServerHost _host;
    private readonly HelloCookies _cookies;
    private int _handshaking;
    private long _helloVerifyRequests;
    private long _resumed;

    public PskServerEngine(DtlsServerOptions options, IPskServerHost host)
    {
        Options = options;
        _host = host;
        _cookies = new HelloCookies(options.TimeProvider, options.CookieSecretRotation);
        Cache = options.SessionCacheSize > 0 ? new PskSessionCache(options.SessionCacheSize, options.SessionLifetime, options.TimeProvider) : null;
    }

    public DtlsServerOptions Options { get; }

    public PskSessionCache? Cache { get; }

    public int Count => _connections.Count;

    public int HandshakesInProgress => Volatile.Read(ref _handshaking);

    public long HelloVerifyRequestsSent => Interlocked.Read(ref _helloVerifyRequests);

    public long SessionsResumed => Interlocked.Read(ref _resumed);

    public long DroppedDatagrams => _connections.Values.Sum(c => c.DroppedDatagrams);

    public bool TryGet(IPEndPoint peer, out PskConnection? connection) => _connections.TryGetValue(peer, out connection);

    public IEnumerable<PskConnection> Connections => _connections.Values;

    /// <summary>True when this engine should run the handshake of <paramref name="hello"/>: CCM_8 is the first suite of the server's preference that the client offers.</summary>
    public static bool Chooses(ClientHello hello, IReadOnlyList<DtlsCipherSuite> serverPreference)
    {
        foreach (DtlsCipherSuite suite in serverPreference)
        {
            if (hello.Offers((ushort)suite))
            {
                return suite == DtlsCipherSuite.PskWithAes128Ccm8;
            }
        }

        return false;
    }

    /// <summary>
    /// Takes a datagram for a peer this engine serves, or a ClientHello it chose (<paramref name="hello"/> parsed by the caller
    /// from the datagram's first record, or null).
    /// </summary>
    public void OnDatagram(IPEndPoint from, ReadOnlySpan<byte> datagram, ClientHello? hello, ushort helloSeq, long helloRecordSeq, ReadOnlySpan<byte> helloBody)
    {
        _connections.TryGetValue(from, out PskConnection? current);
        if (hello is null)
        {
            current?.OnDatagram(datagram);
            if (current is null)
            {
                _host.CountDropped();
            }

            return;
        }

        if (!_cookies.IsValid(from, hello))
        {
            SendHelloVerifyRequest(from, hello, helloSeq, helloRecordSeq);
            return;
        }

        if (current is not null && !current.IsClosed && current.ClientRandom is { } random && random.AsSpan().SequenceEqual(hello.Random))
        {
            current.OnDatagram(datagram); // the client retransmitted its cookied ClientHello: we resend our flight
            return;
        }

        if (hello.IsRenegotiation || !hello.OffersNullCompression)
        {
            _host.CountDropped();
            return;
        }

        if (!_host.CanAdmit(from))
        {
            _host.CountDroppedHello();
            return;
        }

        if (current is not null)
        {
            Remove(current); // the client proved its address with a fresh handshake: it restarted
        }

        var connection = new PskConnection(this, from);
        Interlocked.Increment(ref _handshaking);
        _connections[from] = connection;
        connection.Start(hello, helloSeq, helloRecordSeq, helloBody);
    }

    /// <summary>
    /// Parses the ClientHello a datagram starts with: an epoch-0 handshake record holding a whole ClientHello (a first
    /// ClientHello must fit one datagram for a stateless cookie check). False for anything else.
    /// </summary>
    public static bool TryReadHello(ReadOnlySpan<byte> datagram, out ClientHello? hello, out ushort messageSeq, out long recordSeq, out ReadOnlySpan<byte> body)
    {
        hello = null;
        messageSeq = 0;
        recordSeq = 0;
        body = default;
        int offset = 0;
        if (!DtlsRecord.TryRead(datagram, ref offset, out RecordHeader header, out ReadOnlySpan<byte> fragment)
            || header.Type != DtlsRecord.Handshake || header.Epoch != 0 || !header.IsDtls)
        {
            return false;
        }

        int inner = 0;
        if (!HandshakeMessage.TryRead(fragment, ref inner, out HandshakeFragment message, out body)
            || message.Type != HandshakeMessage.ClientHello || !message.IsWhole)
        {
            return false;
        }

        hello = ClientHello.Parse(body);
        messageSeq = message.MessageSeq;
        recordSeq = header.Sequence;
        return hello is not null;
    }

    public void SendDatagram(IPEndPoint to, ReadOnlySpan<byte> datagram) => _host.Send(to, datagram);

    public void Deliver(PskConnection connection, byte[] plaintext) => _host.Deliver(connection.Peer, plaintext);

    public void OnEstablished(PskConnection connection)
    {
        ReleaseHandshake(connection);
        if (connection.Resumed)
        {
            Interlocked.Increment(ref _resumed);
        }

        _host.Established(connection);
    }

    public void OnFailed(PskConnection connection, DtlsException error)
    {
        ReleaseHandshake(connection);
        Remove(connection);
        _host.Failed(connection, error);
    }

    public void OnClosed(PskConnection connection) => Remove(connection);

    /// <summary>Closes and forgets <paramref name="connection"/> if it is still the one for its address.</summary>
    public void Remove(PskConnection connection, bool closeNotify = false)
    {
        connection.Close(closeNotify);
        ReleaseHandshake(connection);
        _connections.TryRemove(new KeyValuePair<IPEndPoint, PskConnection>(connection.Peer, connection));
        connection.Dispose();
    }

    public void Dispose()
    {
        foreach (PskConnection connection in _connections.Values)
        {
            Remove(connection, closeNotify: true);
        }
    }

    private void ReleaseHandshake(PskConnection connection)
    {
        if (Interlocked.Exchange(ref connection.HandshakeReleased, 1) == 0)
        {
            Interlocked.Decrement(ref _handshaking);
        }
    }

    private void SendHelloVerifyRequest(IPEndPoint to, ClientHello hello, ushort helloSeq, long helloRecordSeq)
    {
        byte[] message = HandshakeMessage.Build(HandshakeMessage.HelloVerifyRequest, helloSeq, ServerMessages.HelloVerifyRequest(_cookies.Create(to, hello)));
        Span<byte> datagram = stackalloc byte[DtlsRecord.HeaderLength + message.Length];
        // RFC 6347 §4.2.1: the record carries the ClientHello's own record sequence number, so the server keeps no counter.
        // The record says DTLS 1.2 (the body says 1.0, as recommended): BouncyCastle 1.8 clients adopt the version of the first
        // record after a HelloVerifyRequest, so a duplicated 1.0 record would make them drop the 1.2 ServerHello for good.
        DtlsRecord.WriteHeader(datagram, DtlsRecord.Handshake, DtlsRecord.Dtls12, 0, helloRecordSeq, message.Length);
        message.CopyTo(datagram[DtlsRecord.HeaderLength..]);
        Interlocked.Increment(ref _helloVerifyRequests);
        _host.Send(to, datagram);
    }
}

/// <summary>What the engine needs of the transport that hosts it: the socket, the CoAP side, the limits and the events.</summary>
internal interface IPskServerHost
{
    void Send(IPEndPoint to, ReadOnlySpan<byte> datagram);

    void Deliver(IPEndPoint from, byte[] plaintext);

    /// <summary>True when a new handshake with <paramref name="peer"/> fits the handshake and peer limits.</summary>
    bool CanAdmit(IPEndPoint peer);

    void CountDropped();

    void CountDroppedHello();

    void Established(PskConnection connection);

    void Failed(PskConnection connection, DtlsException error);
}
