using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Tern.Coap.Dtls;
using Tern.Coap.Endpoint;
using Tern.Coap.Messages;
using Tern.Lwm2m.Client.Configuration;
using Tern.Lwm2m.Client.Engine;
using Tern.Lwm2m.Client.Hosting;
using Tern.Lwm2m.Client.Tests.Driver;

namespace Tern.Lwm2m.Client.Tests;

public class Lwm2mClientTransportTests
{
    private static readonly byte[] Key = Convert.FromHexString("00112233445566778899aabbccddeeff");

    private static Lwm2mSecurityInstance Psk(string uri) =>
        new(0, uri, false, Lwm2mSecurityMode.PreSharedKey) { ShortServerId = 1, PublicKeyOrIdentity = "node-id"u8.ToArray(), SecretKey = Key };

    [Theory]
    [InlineData("coap://127.0.0.1:5683", Lwm2mSecurityMode.PreSharedKey)]
    [InlineData("coaps://127.0.0.1:5684", Lwm2mSecurityMode.NoSec)]
    [InlineData("coap://127.0.0.1:5683", Lwm2mSecurityMode.Certificate)]
    public async Task A_security_mode_that_does_not_match_the_uri_scheme_is_refused(string uri, Lwm2mSecurityMode mode)
    {
        var security = new Lwm2mSecurityInstance(0, uri, false, mode) { ShortServerId = 1, PublicKeyOrIdentity = "id"u8.ToArray(), SecretKey = Key, ServerPublicKey = Key };
        var configuration = new Lwm2mClientConfiguration([security], [new Lwm2mServerInstance(0, 1, TimeSpan.FromMinutes(5))]);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => Lwm2mClientTransport.CreateAsync(security));

        Assert.Contains("does not match the URI scheme", error.Message, StringComparison.Ordinal);
        Assert.Contains(configuration.Validate(), e => e.Contains("does not match the URI scheme", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(Lwm2mSecurityMode.RawPublicKey)]
    [InlineData(Lwm2mSecurityMode.CertificateWithEst)]
    public async Task Unsupported_security_modes_fail_at_once_with_a_clear_reason(Lwm2mSecurityMode mode)
    {
        var security = new Lwm2mSecurityInstance(0, "coaps://127.0.0.1", false, mode) { ShortServerId = 1 };
        var configuration = new Lwm2mClientConfiguration([security], [new Lwm2mServerInstance(0, 1, TimeSpan.FromMinutes(5))]);

        var error = await Assert.ThrowsAsync<DtlsException>(() => Lwm2mClientTransport.CreateAsync(security));

        Assert.Equal(DtlsErrorKind.UnsupportedMode, error.Kind);
        Assert.Contains(configuration.Validate(), e => e.Contains("is not supported", StringComparison.Ordinal));
    }

    [Fact]
    public void Certificate_mode_without_the_server_certificate_is_a_configuration_error()
    {
        var security = new Lwm2mSecurityInstance(0, "coaps://127.0.0.1", false, Lwm2mSecurityMode.Certificate) { ShortServerId = 1, PublicKeyOrIdentity = Key, SecretKey = Key };
        var configuration = new Lwm2mClientConfiguration([security], [new Lwm2mServerInstance(0, 1, TimeSpan.FromMinutes(5))]);

        Assert.Contains(configuration.Validate(), e => e.Contains("/0/x/4", StringComparison.Ordinal));
        Assert.Throws<ArgumentException>(() => Lwm2mClientTransport.CreateDtlsOptions(security));
    }

    [Fact]
    public void Psk_mode_maps_identity_and_key_of_the_security_instance()
    {
        DtlsClientOptions options = Lwm2mClientTransport.CreateDtlsOptions(Psk("coaps://127.0.0.1"), new Lwm2mClientTransportOptions { HandshakeTimeout = TimeSpan.FromSeconds(7) });

        Assert.Equal("node-id", options.PskIdentity);
        Assert.Equal(Key, options.PskKey.ToArray());
        Assert.Null(options.Certificate);
        Assert.Equal(TimeSpan.FromSeconds(7), options.HandshakeTimeout);
    }

    [Fact]
    public async Task NoSec_opens_udp_and_psk_opens_dtls_without_a_handshake_yet()
    {
        var nosec = new Lwm2mSecurityInstance(0, "coap://127.0.0.1:5999", false, Lwm2mSecurityMode.NoSec) { ShortServerId = 1 };
        await using Lwm2mClientTransport plain = await Lwm2mClientTransport.CreateAsync(nosec, new Lwm2mClientTransportOptions { LocalEndPoint = new IPEndPoint(IPAddress.Loopback, 0) });
        await using Lwm2mClientTransport secure = await Lwm2mClientTransport.CreateAsync(Psk("coaps://127.0.0.1:5998"));

        Assert.False(plain.IsSecure);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 5999), plain.Server.EndPoint);
        Assert.True(secure.IsSecure);
        Assert.False(secure.Dtls!.IsConnected);
        Assert.Equal(0, secure.Dtls.HandshakeCount);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 5998), (await secure.ResolvePeerAsync("coaps://127.0.0.1:5998", CancellationToken.None)).EndPoint);
    }

    [Fact]
    public void The_first_server_account_is_chosen_over_the_bootstrap_account()
    {
        var bootstrap = new Lwm2mSecurityInstance(0, "coap://127.0.0.1:5783", true, Lwm2mSecurityMode.NoSec);
        var server = Psk("coaps://127.0.0.1:5684") with { InstanceId = 1 };

        Assert.Same(server, Lwm2mClientTransport.SelectAccount(new Lwm2mClientConfiguration([bootstrap, server], [new Lwm2mServerInstance(0, 1, TimeSpan.FromMinutes(5))])));
        Assert.Same(bootstrap, Lwm2mClientTransport.SelectAccount(new Lwm2mClientConfiguration([bootstrap], [])));
    }

    [Fact]
    public void The_server_certificate_survives_the_state_file()
    {
        var security = new Lwm2mSecurityInstance(0, "coaps://127.0.0.1", false, Lwm2mSecurityMode.Certificate)
        {
            ShortServerId = 1, PublicKeyOrIdentity = new byte[] { 1 }, SecretKey = new byte[] { 2 }, ServerPublicKey = new byte[] { 3, 4, 5 },
        };
        var configuration = new Lwm2mClientConfiguration([security], [new Lwm2mServerInstance(0, 1, TimeSpan.FromMinutes(5))]);

        var json = new System.Buffers.ArrayBufferWriter<byte>();
        Lwm2mConfigurationJson.Write(configuration, json);
        Lwm2mClientConfiguration back = Lwm2mConfigurationJson.Parse(json.WrittenMemory).Configuration!;

        Assert.Equal(new byte[] { 3, 4, 5 }, back.Securities[0].ServerPublicKey.ToArray());
    }

    [Fact]
    public async Task Hosted_client_registers_over_dtls_psk_with_the_credentials_of_its_security_instance()
    {
        var fake = new FakeServer();
        var identities = new List<string?>();
        var dtls = DtlsServerTransport.Bind(new IPEndPoint(IPAddress.Loopback, 0), new DtlsServerOptions { PskStore = new DtlsPskStore().Set("node-id", Key) });
        dtls.SessionEstablished += (_, e) => { lock (identities) { identities.Add(e.Info.PskIdentity); } };
        await using var server = await CoapEndpoint.StartAsync(dtls, new CoapEndpointOptions { Handler = fake });
        var services = new ServiceCollection().AddTernClient(o =>
        {
            o.Client = new Lwm2mClientOptions("hosted-dtls");
            o.Configuration = new Lwm2mClientConfiguration([Psk($"coaps://127.0.0.1:{server.LocalEndPoint.EndPoint.Port}")], [new Lwm2mServerInstance(0, 1, TimeSpan.FromSeconds(300))]);
        });
        var hosted = (TernClientHostedService)services.Single(d => d.ServiceType == typeof(IHostedService)).ImplementationFactory!(new NoServices());

        await hosted.StartAsync(CancellationToken.None);
        // Real sockets: the bound is a safety net against a hang, not a pace.
        while (await hosted.Client!.Events.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30)) is not Lwm2mRegistered)
        {
        }

        await hosted.StopAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
        Assert.Single(fake.Of(CoapCode.Post, "/rd"));
        Assert.Single(fake.Of(CoapCode.Delete, "/rd/7"));
        lock (identities)
        {
            Assert.Equal(["node-id"], identities);
        }
    }

    private sealed class NoServices : IServiceProvider
    {
        public object? GetService(Type serviceType) => null;
    }
}
