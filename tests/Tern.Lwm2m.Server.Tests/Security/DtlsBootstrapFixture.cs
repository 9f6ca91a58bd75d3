using System.Net;
using System.Text;
using Org.BouncyCastle.X509;
using Tern.Coap.Dtls;
using Tern.Lwm2m.Client.Configuration;
using Tern.Lwm2m.Server.Bootstrap;

namespace Tern.Lwm2m.Server.Security;

/// <summary>
/// A Tern bootstrap server and a Tern LwM2M server, each on DTLS over real loopback sockets with its own security
/// store, joined by the provisioning link the way <c>tern server</c> joins them: a configuration set in
/// <see cref="Bootstrap"/>'s store gives <see cref="ServerSecurity"/> the credentials it provisions. Tests never put
/// entries in <see cref="ServerSecurity"/> themselves. The device bootstraps with PSK <c>e2e-bs</c>.
/// </summary>
public abstract class DtlsBootstrapFixture : IAsyncLifetime
{
    protected const string Endpoint = "e2e-dev";
    protected const string BootstrapIdentity = "e2e-bs";
    protected static readonly byte[] BootstrapKey = Convert.FromHexString("b0b1b2b3b4b5b6b7b8b9babbbcbdbebf");

    protected InMemorySecurityStore ServerSecurity { get; } = new();

    protected InMemorySecurityStore BootstrapSecurity { get; } = new();

    internal Lwm2mServerTransport ServerTransport { get; private set; } = null!;

    internal Lwm2mServerTransport BootstrapTransport { get; private set; } = null!;

    internal Lwm2mServer Server { get; private set; } = null!;

    internal Lwm2mBootstrapServer Bootstrap { get; private set; } = null!;

    internal ProvisioningBootstrapStore Link { get; private set; } = null!;

    /// <summary>The LwM2M server's certificate and the anchors of client certificates; none offers PSK only.</summary>
    protected virtual (DtlsCertificateCredentials Certificate, X509Certificate Trusted)? ServerCertificate => null;

    protected string ServerUri => $"coaps://127.0.0.1:{ServerTransport.CoapsEndPoint!.Value.EndPoint.Port}";

    protected string BootstrapUri => $"coaps://127.0.0.1:{BootstrapTransport.CoapsEndPoint!.Value.EndPoint.Port}";

    public async Task InitializeAsync()
    {
        Assert.True(BootstrapSecurity.TryPut(SecurityInfo.ForPsk(Endpoint, BootstrapIdentity, BootstrapKey), out _));
        ServerTransport = await BindAsync(ServerSecurity, ServerCertificate);
        BootstrapTransport = await BindAsync(BootstrapSecurity, null);
        Server = await Lwm2mServer.StartAsync(ServerTransport);
        Link = new ProvisioningBootstrapStore(new InMemoryBootstrapConfigurationStore(), ServerSecurity,
            BootstrapServerCredentials.CoapsPort(ServerTransport.CoapsEndPoint!.Value.EndPoint.Port));
        Bootstrap = await Lwm2mBootstrapServer.StartAsync(BootstrapTransport, new Lwm2mBootstrapServerOptions { RequestTimeout = TimeSpan.FromSeconds(20), Store = Link });
    }

    public async Task DisposeAsync()
    {
        await Bootstrap.DisposeAsync();
        await Server.DisposeAsync();
        Link.Dispose();
    }

    /// <summary>The device's factory configuration: only the bootstrap account, PSK <c>e2e-bs</c> with <paramref name="bootstrapKey"/>.</summary>
    protected Lwm2mClientConfiguration BootstrapOnly(byte[] bootstrapKey) => new(
        [new Lwm2mSecurityInstance(0, BootstrapUri, true, Lwm2mSecurityMode.PreSharedKey)
        {
            PublicKeyOrIdentity = Encoding.UTF8.GetBytes(BootstrapIdentity),
            SecretKey = bootstrapKey,
        }],
        []);

    private static ValueTask<Lwm2mServerTransport> BindAsync(ISecurityStore security, (DtlsCertificateCredentials Certificate, X509Certificate Trusted)? certificate) =>
        Lwm2mServerTransport.BindAsync(new Lwm2mServerTransportOptions
        {
            CoapsEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            Security = security,
            Certificate = certificate?.Certificate,
            TrustedClientCertificates = certificate is { Trusted: var trusted } ? [trusted] : [],
            HandshakeTimeout = TimeSpan.FromSeconds(10),
        });
}
