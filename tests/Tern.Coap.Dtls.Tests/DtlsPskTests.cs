using System.Text;
using Tern.Coap.Dtls.Tests.Support;
using Tern.Coap.Transport;

namespace Tern.Coap.Dtls.Tests;

/// <summary>Tern client ↔ Tern server over loopback UDP with pre-shared keys.</summary>
public sealed class DtlsPskTests
{
    private static readonly byte[] Key = Loopback.Key("00112233445566778899aabbccddeeff");

    internal static DtlsServerTransport StartServer(DtlsServerOptions? options = null) =>
        DtlsServerTransport.Bind(Loopback.AnyPort, options ?? new DtlsServerOptions
        {
            PskStore = new DtlsPskStore().Set("device-1", Key).Set("device-2", Key),
        });

    internal static DtlsClientOptions ClientOptions(string identity = "device-1", byte[]? key = null, DtlsCipherSuite? suite = null) => new()
    {
        PskIdentity = identity,
        PskKey = key ?? Key,
        CipherSuites = suite is null ? null : [suite.Value],
        HandshakeTimeout = TimeSpan.FromSeconds(10),
    };

    [Theory]
    [InlineData(DtlsCipherSuite.PskWithAes128Ccm8)]
    [InlineData(DtlsCipherSuite.PskWithAes128CbcSha256)]
    public async Task Client_fetches_a_resource_from_the_server_with_each_psk_suite(DtlsCipherSuite suite)
    {
        using var bound = Loopback.SafetyBound();
        await using DtlsServerTransport server = StartServer();

        DtlsFetch fetch = await RawCoap.FetchOverNewSessionAsync(server, ClientOptions(suite: suite), "temp", bound.Token);

        Assert.Equal("hello /temp", fetch.Payload);
        Assert.Equal(suite, fetch.Server.CipherSuite);
        Assert.Equal("device-1", fetch.Client.PskIdentity);
        Assert.Equal(suite, fetch.Client.CipherSuite);
    }

    [Fact]
    public async Task Server_picks_the_lwm2m_mandatory_ccm8_suite_even_when_the_client_prefers_cbc()
    {
        using var bound = Loopback.SafetyBound();
        await using DtlsServerTransport server = StartServer();
        DtlsClientOptions options = new()
        {
            PskIdentity = "device-1",
            PskKey = Key,
            CipherSuites = [DtlsCipherSuite.PskWithAes128CbcSha256, DtlsCipherSuite.PskWithAes128Ccm8],
            HandshakeTimeout = TimeSpan.FromSeconds(10),
        };

        DtlsFetch fetch = await RawCoap.FetchOverNewSessionAsync(server, options, "suite", bound.Token);

        Assert.Equal(DtlsCipherSuite.PskWithAes128Ccm8, fetch.Client.CipherSuite);
    }

    [Fact]
    public async Task Server_tells_two_clients_apart_by_their_psk_identity()
    {
        using var bound = Loopback.SafetyBound();
        await using DtlsServerTransport server = StartServer();
        Task responder = RawCoap.RespondAsync(server, bound.Token);
        await using DtlsClientTransport first = await DtlsClientTransport.ConnectAsync(server.LocalEndPoint.EndPoint, ClientOptions("device-1"), bound.Token);
        await using DtlsClientTransport second = await DtlsClientTransport.ConnectAsync(server.LocalEndPoint.EndPoint, ClientOptions("device-2"), bound.Token);

        await RawCoap.RequestAsync(first, first.RemoteEndPoint, "a", bound.Token);
        await RawCoap.RequestAsync(second, second.RemoteEndPoint, "b", bound.Token);

        server.TryGetPeerInfo(first.LocalEndPointOnLoopback(), out DtlsPeerInfo? one);
        server.TryGetPeerInfo(second.LocalEndPointOnLoopback(), out DtlsPeerInfo? two);
        Assert.Equal("device-1", one!.PskIdentity);
        Assert.Equal("device-2", two!.PskIdentity);
        Assert.Equal(2, server.PeerCount);
    }

    [Fact]
    public async Task Wrong_psk_key_fails_the_handshake_with_a_decrypt_error()
    {
        using var bound = Loopback.SafetyBound();
        await using DtlsServerTransport server = StartServer();
        var error = await Assert.ThrowsAsync<DtlsException>(async () =>
            await DtlsClientTransport.ConnectAsync(server.LocalEndPoint.EndPoint, ClientOptions(key: Loopback.Key("ffeeddccbbaa99887766554433221100")), bound.Token));

        Assert.Equal(DtlsErrorKind.DecryptError, error.Kind);
        Assert.Equal(0, server.PeerCount);
    }

    [Fact]
    public async Task Unknown_psk_identity_is_refused_with_its_own_reason()
    {
        using var bound = Loopback.SafetyBound();
        await using DtlsServerTransport server = StartServer();

        var error = await Assert.ThrowsAsync<DtlsException>(async () =>
            await DtlsClientTransport.ConnectAsync(server.LocalEndPoint.EndPoint, ClientOptions("stranger"), bound.Token));

        Assert.Equal(DtlsErrorKind.UnknownPskIdentity, error.Kind);
    }

    [Fact]
    public async Task Many_sequential_sessions_each_complete_and_are_answered()
    {
        using var bound = Loopback.SafetyBound();
        await using DtlsServerTransport server = StartServer();
        Task responder = RawCoap.RespondAsync(server, bound.Token);

        for (int i = 0; i < 20; i++)
        {
            await using DtlsClientTransport client = await DtlsClientTransport.ConnectAsync(server.LocalEndPoint.EndPoint, ClientOptions(), bound.Token);
            var response = await RawCoap.RequestAsync(client, client.RemoteEndPoint, "n" + i, bound.Token);
            Assert.Equal("hello /n" + i, Encoding.UTF8.GetString(response.Payload.Span));
        }
    }

    [Fact]
    public async Task Sending_to_a_peer_without_a_session_is_dropped_not_thrown()
    {
        await using DtlsServerTransport server = StartServer();

        await server.SendAsync(new CoapPeer(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 9)), new byte[] { 0x40, 0x01, 0, 1 });

        Assert.False(server.TrySend(new CoapPeer(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 9)), [0x40]));
    }
}

internal static class ClientExtensions
{
    /// <summary>The client's address as the server sees it (the socket is bound to any address, connected to loopback).</summary>
    public static CoapPeer LocalEndPointOnLoopback(this DtlsClientTransport client) =>
        new(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, client.LocalEndPoint.EndPoint.Port));
}
