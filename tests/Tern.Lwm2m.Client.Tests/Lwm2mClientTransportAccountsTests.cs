using System.Net;
using System.Net.Sockets;
using Tern.Coap.Dtls;
using Tern.Coap.Endpoint;
using Tern.Coap.Transport;
using Tern.Coap.Timing;
using Tern.Lwm2m.Client.Configuration;
using Tern.Lwm2m.Client.Engine;

namespace Tern.Lwm2m.Client.Tests;

/// <summary>
/// <see cref="Lwm2mClientTransport.CreateForAccountsAsync"/>: one endpoint over plain UDP and one DTLS client per
/// coaps:// account. Real loopback sockets; nothing here needs a server to answer.
/// </summary>
public class Lwm2mClientTransportAccountsTests
{
    private static readonly byte[] Key = Convert.FromHexString("00112233445566778899aabbccddeeff");

    private static Lwm2mClientConfiguration Configuration(params Lwm2mSecurityInstance[] securities) =>
        new(securities, [.. securities.Where(s => s.ShortServerId is not null).Select(s => new Lwm2mServerInstance(s.InstanceId, s.ShortServerId!.Value, TimeSpan.FromMinutes(5)))]);

    [Theory]
    [InlineData(Lwm2mSecurityMode.RawPublicKey, "raw public key")]
    [InlineData(Lwm2mSecurityMode.CertificateWithEst, "EST")]
    public async Task An_account_in_an_unsupported_mode_fails_its_exchange_at_once_with_an_event_naming_the_mode(Lwm2mSecurityMode mode, string named)
    {
        const string uri = "coaps://127.0.0.1:5999";
        await using Lwm2mClientTransport transport = await Lwm2mClientTransport.CreateForAccountsAsync(
            Configuration(new Lwm2mSecurityInstance(0, uri, false, mode) { ShortServerId = 1 }));
        DtlsException? reported = null;
        transport.HandshakeFailed += (_, e) => reported = e;

        CoapException failed = await Assert.ThrowsAsync<CoapException>(async () => await transport.ResolvePeerAsync(uri, CancellationToken.None));

        Assert.Equal(DtlsErrorKind.UnsupportedMode, reported!.Kind);
        Assert.Contains(named, reported.Message, StringComparison.Ordinal);
        Assert.Contains(named, failed.Message, StringComparison.Ordinal);
        Assert.Null(transport.GetDtls(uri));
    }

    [Fact]
    public async Task A_silent_psk_server_fails_the_exchange_at_the_virtual_handshake_deadline_with_the_reason()
    {
        var clock = new VirtualTimeProvider();
        using var silent = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        string uri = $"coaps://127.0.0.1:{((IPEndPoint)silent.Client.LocalEndPoint!).Port}";
        await using Lwm2mClientTransport transport = await Lwm2mClientTransport.CreateForAccountsAsync(
            Configuration(new Lwm2mSecurityInstance(0, uri, false, Lwm2mSecurityMode.PreSharedKey) { ShortServerId = 1, PublicKeyOrIdentity = "id"u8.ToArray(), SecretKey = Key }),
            new Lwm2mClientTransportOptions { HandshakeTimeout = TimeSpan.FromSeconds(20), Time = clock });
        var reported = new TaskCompletionSource<DtlsException>(TaskCreationOptions.RunContinuationsAsynchronously);
        transport.HandshakeFailed += (_, e) => reported.TrySetResult(e);

        Task<CoapPeer> resolving = transport.ResolvePeerAsync(uri, CancellationToken.None).AsTask();
        await silent.ReceiveAsync().WaitAsync(TimeSpan.FromSeconds(30)); // the ClientHello went out
        clock.Advance(TimeSpan.FromSeconds(19));
        bool failedEarly = resolving.IsCompleted;
        clock.Advance(TimeSpan.FromSeconds(2));

        CoapException failed = await Assert.ThrowsAsync<CoapException>(() => resolving.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.False(failedEarly);
        Assert.Equal(DtlsErrorKind.HandshakeTimeout, (await reported.Task.WaitAsync(TimeSpan.FromSeconds(30))).Kind);
        Assert.Contains("HandshakeTimeout", failed.Message, StringComparison.Ordinal);
        Assert.Same(transport.GetDtls(uri), transport.Dtls);
        Assert.False(transport.Dtls!.IsConnected);
    }

    [Fact]
    public async Task A_coap_account_goes_over_the_shared_plain_socket_without_dtls()
    {
        await using Lwm2mClientTransport transport = await Lwm2mClientTransport.CreateForAccountsAsync(
            Configuration(new Lwm2mSecurityInstance(0, "coap://127.0.0.1:5683", false, Lwm2mSecurityMode.NoSec) { ShortServerId = 1 }));

        CoapPeer peer = await transport.ResolvePeerAsync("coap://127.0.0.1:5683", CancellationToken.None);

        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 5683), peer.EndPoint);
        Assert.False(transport.IsSecure);
        Assert.Null(transport.Dtls);
        Assert.Null(transport.GetDtls("coap://127.0.0.1:5683"));
    }

    [Fact]
    public async Task Follow_is_only_for_a_transport_that_follows_accounts()
    {
        var configuration = Configuration(new Lwm2mSecurityInstance(0, "coap://127.0.0.1:5683", false, Lwm2mSecurityMode.NoSec) { ShortServerId = 1 });
        await using Lwm2mClientTransport single = await Lwm2mClientTransport.CreateAsync(configuration);
        await using var client = new Lwm2mClient(configuration, new Lwm2mClientOptions("dev"), single.Endpoint);

        var error = Assert.Throws<InvalidOperationException>(() => single.Follow(client));

        Assert.Contains("CreateForAccountsAsync", error.Message, StringComparison.Ordinal);
    }
}
