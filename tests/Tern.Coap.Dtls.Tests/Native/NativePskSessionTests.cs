using System.Net;
using System.Text;
using Tern.Coap.Dtls.Tests.Support;

namespace Tern.Coap.Dtls.Tests.Native;

/// <summary>Tern's BouncyCastle client against the native PSK engine: full and abbreviated handshakes, failures, hostile input.</summary>
public sealed class NativePskSessionTests
{
    private static readonly byte[] Key = Loopback.Key("00112233445566778899aabbccddeeff");

    private static DtlsServerTransport StartServer(int sessionCacheSize = 100, string? hint = null) =>
        DtlsServerTransport.Bind(Loopback.AnyPort, new DtlsServerOptions
        {
            PskStore = new DtlsPskStore().Set("device-1", Key),
            PskIdentityHint = hint,
            SessionCacheSize = sessionCacheSize,
        });

    [Theory]
    [InlineData(null)]
    [InlineData("tern-hint")]
    public async Task Full_handshake_with_the_native_engine_carries_coap_both_ways(string? hint)
    {
        using var bound = Loopback.SafetyBound();
        await using DtlsServerTransport server = StartServer(hint: hint);
        var established = new List<DtlsSessionEventArgs>();
        server.SessionEstablished += (_, e) => { lock (established) { established.Add(e); } };

        DtlsFetch fetch = await RawCoap.FetchOverNewSessionAsync(server, DtlsPskTests.ClientOptions(), "native", bound.Token);

        Assert.Equal("hello /native", fetch.Payload);
        Assert.Equal(DtlsCipherSuite.PskWithAes128Ccm8, fetch.Client.CipherSuite);
        Assert.Equal("device-1", fetch.Server.PskIdentity);
        Assert.InRange(server.HelloVerifyRequestsSent, 1, 2); // two when a slow machine makes the client repeat its first hello
        DtlsSessionEventArgs only = Assert.Single(established);
        Assert.False(only.Resumed);
    }

    [Fact]
    public async Task Reconnect_after_the_client_closed_its_session_resumes_with_an_abbreviated_handshake()
    {
        using var bound = Loopback.SafetyBound();
        await using DtlsServerTransport server = StartServer();
        var resumedFlags = new List<bool>();
        server.SessionEstablished += (_, e) => { lock (resumedFlags) { resumedFlags.Add(e.Resumed); } };
        Task responder = RawCoap.RespondAsync(server, bound.Token);
        await using DtlsClientTransport client = await DtlsClientTransport.ConnectAsync(server.LocalEndPoint.EndPoint, DtlsPskTests.ClientOptions(), bound.Token);
        await RawCoap.RequestAsync(client, client.RemoteEndPoint, "first", bound.Token);
        long fullBytes = server.BytesSent;

        client.CloseSession(); // queue mode: the transport drops the session, the next send reconnects
        long before = server.BytesSent;
        await client.EnsureConnectedAsync(bound.Token);
        long abbreviatedBytes = server.BytesSent - before;
        var response = await RawCoap.RequestAsync(client, client.RemoteEndPoint, "second", bound.Token);

        Assert.Equal("hello /second", Encoding.UTF8.GetString(response.Payload.Span));
        Assert.True(client.LastHandshakeResumed);
        Assert.Equal(2, client.HandshakeCount);
        Assert.Equal(1, server.SessionsResumed);
        Assert.Equal([false, true], resumedFlags);
        Assert.True(abbreviatedBytes < fullBytes, $"abbreviated {abbreviatedBytes} bytes, full {fullBytes}");
        Assert.True(server.TryGetPeerInfo(client.LocalEndPointOnLoopback(), out DtlsPeerInfo? info));
        Assert.Equal("device-1", info!.PskIdentity);
    }

    [Fact]
    public async Task Without_a_session_cache_the_reconnect_falls_back_to_a_full_handshake()
    {
        using var bound = Loopback.SafetyBound();
        await using DtlsServerTransport server = StartServer(sessionCacheSize: 0);
        Task responder = RawCoap.RespondAsync(server, bound.Token);
        await using DtlsClientTransport client = await DtlsClientTransport.ConnectAsync(server.LocalEndPoint.EndPoint, DtlsPskTests.ClientOptions(), bound.Token);

        client.CloseSession();
        var response = await RawCoap.RequestAsync(client, client.RemoteEndPoint, "again", bound.Token);

        Assert.Equal("hello /again", Encoding.UTF8.GetString(response.Payload.Span));
        Assert.False(client.LastHandshakeResumed);
        Assert.Equal(0, server.SessionsResumed);
    }

    [Fact]
    public async Task A_session_whose_identity_was_removed_from_the_store_is_not_resumed()
    {
        using var bound = Loopback.SafetyBound();
        var store = new DtlsPskStore().Set("device-1", Key).Set("device-2", Key);
        await using DtlsServerTransport server = DtlsServerTransport.Bind(Loopback.AnyPort, new DtlsServerOptions { PskStore = store });
        Task responder = RawCoap.RespondAsync(server, bound.Token);
        await using DtlsClientTransport client = await DtlsClientTransport.ConnectAsync(server.LocalEndPoint.EndPoint, DtlsPskTests.ClientOptions("device-2"), bound.Token);

        store.Remove("device-2");
        client.CloseSession();
        var error = await Assert.ThrowsAsync<DtlsException>(async () => await client.EnsureConnectedAsync(bound.Token));

        Assert.Equal(DtlsErrorKind.UnknownPskIdentity, error.Kind);
        Assert.Equal(0, server.SessionsResumed);
    }

    [Fact]
    public async Task Wrong_key_is_reported_on_the_server_as_a_decrypt_error_and_leaves_no_peer()
    {
        using var bound = Loopback.SafetyBound();
        await using DtlsServerTransport server = StartServer();
        var failure = new TaskCompletionSource<DtlsHandshakeFailedEventArgs>();
        server.HandshakeFailed += (_, e) => failure.TrySetResult(e);

        var error = await Assert.ThrowsAsync<DtlsException>(async () =>
            await DtlsClientTransport.ConnectAsync(server.LocalEndPoint.EndPoint, DtlsPskTests.ClientOptions(key: Loopback.Key("ffeeddccbbaa99887766554433221100")), bound.Token));
        DtlsHandshakeFailedEventArgs seen = await failure.Task.WaitAsync(bound.Token);

        Assert.Equal(DtlsErrorKind.DecryptError, error.Kind);
        Assert.Equal(DtlsErrorKind.DecryptError, seen.Error.Kind);
        Assert.Equal(0, server.PeerCount);
        Assert.Equal(0, server.HandshakesInProgress);
    }

    [Fact]
    public async Task Truncated_and_mutated_hellos_and_records_are_dropped_without_escaping_and_the_session_lives_on()
    {
        using var bound = Loopback.SafetyBound();
        await using DtlsServerTransport server = StartServer();
        Task responder = RawCoap.RespondAsync(server, bound.Token);
        byte[] hello = await RawDtls.CaptureClientHelloAsync(DtlsPskTests.ClientOptions(), bound.Token);
        await using DtlsClientTransport client = await DtlsClientTransport.ConnectAsync(server.LocalEndPoint.EndPoint, DtlsPskTests.ClientOptions(), bound.Token);
        var sent = new List<byte[]>();
        client.SentDatagramTap = d => { lock (sent) { sent.Add(d); } };
        await RawCoap.RequestAsync(client, client.RemoteEndPoint, "warm", bound.Token);
        byte[] record;
        lock (sent)
        {
            record = sent[^1];
        }

        IPEndPoint self = client.LocalEndPointOnLoopback().EndPoint;
        var random = new Random(2024);
        for (int i = 0; i < 3000; i++)
        {
            byte[] source = i % 2 == 0 ? hello : record;
            byte[] mutated = source.AsSpan(0, random.Next(0, source.Length + 1)).ToArray();
            for (int flips = random.Next(0, 4); flips > 0 && mutated.Length > 0; flips--)
            {
                mutated[random.Next(mutated.Length)] ^= (byte)(1 << random.Next(8));
            }

            server.InjectDatagram(i % 3 == 0 ? self : new IPEndPoint(IPAddress.Loopback, 30000 + (i % 500)), mutated);
        }

        var response = await RawCoap.RequestAsync(client, client.RemoteEndPoint, "still-here", bound.Token);
        Assert.Equal("hello /still-here", Encoding.UTF8.GetString(response.Payload.Span));

        // Mutated hellos that no longer offer CCM_8 go to BouncyCastle, which keeps state without a cookie but only
        // within the handshake limit; every other peer the server holds is such a handshake, none is established.
        Assert.Equal(1, server.PeerCount - server.HandshakesInProgress);
        Assert.InRange(server.HandshakesInProgress, 0, 32);
    }
}
