using System.Collections.Concurrent;
using System.Net;

namespace Tern.Coap.Dtls.Native;

/// <summary>
/// Tern's own DTLS 1.2 server for all clients of one port, with the suites it was given credentials for:
/// TLS_PSK_WITH_AES_128_CCM_8, and TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8 / _AES_128_GCM_SHA256 on secp256r1. A ClientHello without a
/// valid cookie is answered with a HelloVerifyRequest and leaves no trace; only a cookied ClientHello (which proves
/// the client receives at its address) creates a <see cref="NativeConnection"/>, within the handshake and peer limits
/// the host checks through <see cref="INativeServerHost.CanAdmit"/>. I/O and events go through the host.
/// </summary>
internal sealed class NativeServerEngine : IDisposable
{
    private readonly ConcurrentDictionary<IPEndPoint, NativeConnection> _connections = new();
    private readonly INativeServerHost _host;
    private readonly HelloCookies _cookies;
    private int _handshaking;
    private long _helloVerifyRequests;
    private long _resumed;
    private readonly ushort[] _suites;

    /// <param name="options">The server's options.</param>
    /// <param name="host">The transport.</param>
    /// <param name="psk">True to run TLS_PSK_WITH_AES_128_CCM_8 (needs <see cref="DtlsServerOptions.PskStore"/>).</param>
    /// <param name="certificate">The converted server certificate and key, to run the ECDHE_ECDSA suites; null for none.</param>
    public NativeServerEngine(DtlsServerOptions options, INativeServerHost host, bool psk, ServerCertificateKeys? certificate)
    {
        Options = options;
        _host = host;
        CertificateKeys = certificate;
        _suites = [.. options.EffectiveCipherSuites.Where(s => s == DtlsCipherSuite.PskWithAes128Ccm8 ? psk
            : s is DtlsCipherSuite.EcdheEcdsaWithAes128Ccm8 or DtlsCipherSuite.EcdheEcdsaWithAes128GcmSha256 && certificate is not null).Select(s => (ushort)s)];
        _cookies = new HelloCookies(options.TimeProvider, options.CookieSecretRotation);
        Cache = options.SessionCacheSize > 0 ? new NativeSessionCache(options.SessionCacheSize, options.SessionLifetime, options.TimeProvider) : null;
    }

    public DtlsServerOptions Options { get; }

    /// <summary>The server's certificate credentials, when the engine runs the ECDHE_ECDSA suites.</summary>
    public ServerCertificateKeys? CertificateKeys { get; }

    /// <summary>True when the engine runs <paramref name="suite"/> (it is enabled and the engine has its credentials).</summary>
    public bool Implements(ushort suite) => Array.IndexOf(_suites, suite) >= 0;

    public NativeSessionCache? Cache { get; }

    public int Count => _connections.Count;

    public int HandshakesInProgress => Volatile.Read(ref _handshaking);

    public long HelloVerifyRequestsSent => Interlocked.Read(ref _helloVerifyRequests);

    public long SessionsResumed => Interlocked.Read(ref _resumed);

    public long DroppedDatagrams => _connections.Values.Sum(c => c.DroppedDatagrams);

    public bool TryGet(IPEndPoint peer, out NativeConnection? connection) => _connections.TryGetValue(peer, out connection);

    public IEnumerable<NativeConnection> Connections => _connections.Values;

    /// <summary>
    /// The suite for <paramref name="hello"/>: the first of the server's preference that the client offers, or 0 when it
    /// offers none. The engine runs the handshake only when it <see cref="Implements"/> that suite.
    /// </summary>
    public ushort SelectSuite(ClientHello hello)
    {
        foreach (DtlsCipherSuite suite in Options.EffectiveCipherSuites)
        {
            if (hello.Offers((ushort)suite))
            {
                return (ushort)suite;
            }
        }

        return 0;
    }

    /// <summary>True when this engine should run the handshake of <paramref name="hello"/> rather than BouncyCastle.</summary>
    public bool Chooses(ClientHello hello) => Implements(SelectSuite(hello));

    /// <summary>
    /// Takes a datagram for a peer this engine serves, or a ClientHello it chose (<paramref name="hello"/> parsed by the caller
    /// from the datagram's first record, or null).
    /// </summary>
    public void OnDatagram(IPEndPoint from, ReadOnlySpan<byte> datagram, ClientHello? hello, ushort helloSeq, long helloRecordSeq, ReadOnlySpan<byte> helloBody)
    {
        _connections.TryGetValue(from, out NativeConnection? current);
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

        var connection = new NativeConnection(this, from);
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

    public void Deliver(NativeConnection connection, byte[] plaintext) => _host.Deliver(connection.Peer, plaintext);

    public void OnEstablished(NativeConnection connection)
    {
        ReleaseHandshake(connection);
        if (connection.Resumed)
        {
            Interlocked.Increment(ref _resumed);
        }

        _host.Established(connection);
    }

    public void OnFailed(NativeConnection connection, DtlsException error)
    {
        ReleaseHandshake(connection);
        Remove(connection);
        _host.Failed(connection, error);
    }

    public void OnClosed(NativeConnection connection) => Remove(connection);

    /// <summary>Closes and forgets <paramref name="connection"/> if it is still the one for its address.</summary>
    public void Remove(NativeConnection connection, bool closeNotify = false)
    {
        connection.Close(closeNotify);
        ReleaseHandshake(connection);
        _connections.TryRemove(new KeyValuePair<IPEndPoint, NativeConnection>(connection.Peer, connection));
        connection.Dispose();
    }

    public void Dispose()
    {
        foreach (NativeConnection connection in _connections.Values)
        {
            Remove(connection, closeNotify: true);
        }

        CertificateKeys?.Dispose();
    }

    private void ReleaseHandshake(NativeConnection connection)
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
internal interface INativeServerHost
{
    void Send(IPEndPoint to, ReadOnlySpan<byte> datagram);

    void Deliver(IPEndPoint from, byte[] plaintext);

    /// <summary>True when a new handshake with <paramref name="peer"/> fits the handshake and peer limits.</summary>
    bool CanAdmit(IPEndPoint peer);

    void CountDropped();

    void CountDroppedHello();

    void Established(NativeConnection connection);

    void Failed(NativeConnection connection, DtlsException error);
}
