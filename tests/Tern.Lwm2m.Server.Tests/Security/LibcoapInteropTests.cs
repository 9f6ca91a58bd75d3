using System.Net;
using System.Text;

namespace Tern.Lwm2m.Server.Security;

/// <summary>libcoap's coap-client speaking DTLS PSK to the LwM2M server's coaps port (real loopback sockets).</summary>
public sealed class LibcoapInteropTests : IAsyncLifetime
{
    private const string Key = "libcoap-secret";
    private readonly InMemorySecurityStore _security = new();
    private Lwm2mServer _server = null!;
    private Lwm2mServerTransport _transport = null!;

    public async Task InitializeAsync()
    {
        Assert.True(_security.TryPut(SecurityInfo.ForPsk("libcoap-dev", "libcoap-id", Encoding.ASCII.GetBytes(Key)), out _));
        _transport = await Lwm2mServerTransport.BindAsync(new Lwm2mServerTransportOptions
        {
            CoapsEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            Security = _security,
        });
        _server = await Lwm2mServer.StartAsync(_transport);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private string Uri(string pathAndQuery) => $"coaps://127.0.0.1:{_transport.CoapsEndPoint!.Value.EndPoint.Port}/{pathAndQuery}";

    [Theory]
    [InlineData("coap-client-openssl")]
    [InlineData("coap-client-gnutls")]
    public async Task Libcoap_client_gets_4_04_for_an_unknown_path_over_dtls_psk(string tool)
    {
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var suites = new List<Tern.Coap.Dtls.DtlsCipherSuite>();
        _transport.Dtls!.SessionEstablished += (_, e) => { lock (suites) { suites.Add(e.Info.CipherSuite); } };

        string output = await LibcoapClient.RunAsync(tool, bound.Token, "-u", "libcoap-id", "-k", Key, "-B", "10", Uri("no/such/path"));

        Assert.Contains("4.04", output, StringComparison.Ordinal);
        lock (suites)
        {
            Assert.Equal([Tern.Coap.Dtls.DtlsCipherSuite.PskWithAes128Ccm8], suites);
        }
    }

    [Fact]
    public async Task Libcoap_client_registers_the_endpoint_its_psk_identity_belongs_to()
    {
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        string? identity = null;
        // Asked while the request is handled: libcoap closes its session (close_notify) as soon as it exits.
        _server.Registered += (_, e) => identity = _server.TryGetDtlsPeer(e.Registration.Peer, out var proven) ? proven!.PskIdentity : "(not over DTLS)";

        await LibcoapClient.RunAsync("coap-client-openssl", bound.Token,
            "-u", "libcoap-id", "-k", Key, "-B", "10", "-m", "post", "-t", "40", "-e", "</3/0>", Uri("rd?ep=libcoap-dev&lt=60&lwm2m=1.1"));

        Assert.NotNull(await _server.GetRegistrationAsync("libcoap-dev"));
        Assert.Equal("libcoap-id", identity);
    }

    [Fact]
    public async Task Libcoap_client_claiming_another_endpoint_gets_4_03()
    {
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        string output = await LibcoapClient.RunAsync("coap-client-openssl", bound.Token,
            "-u", "libcoap-id", "-k", Key, "-B", "10", "-m", "post", "-t", "40", "-e", "</3/0>", Uri("rd?ep=someone-else&lt=60"));

        Assert.Contains("4.03", output, StringComparison.Ordinal);
        Assert.Empty(await _server.GetRegistrationsAsync());
    }
}
