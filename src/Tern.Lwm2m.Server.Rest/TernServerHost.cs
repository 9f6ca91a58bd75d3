using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tern.Lwm2m.Server.Bootstrap;
using Tern.Lwm2m.Server.Rest.Events;
using Tern.Lwm2m.Server.Security;

namespace Tern.Lwm2m.Server.Rest;

/// <summary>
/// Runs an LwM2M server (plain CoAP, and DTLS when a coaps port is set) and a bootstrap server over UDP and the REST API over HTTP together, as
/// <c>tern server</c> does. Dispose it to stop all three.
/// </summary>
public sealed class TernServerHost : IAsyncDisposable
{
    private readonly WebApplication _web;

    private TernServerHost(Lwm2mServer server, Lwm2mBootstrapServer bootstrap, WebApplication web, ServerEventHub events, Uri httpAddress)
    {
        Server = server;
        Bootstrap = bootstrap;
        _web = web;
        Events = events;
        HttpAddress = httpAddress;
    }

    /// <summary>The LwM2M server.</summary>
    public Lwm2mServer Server { get; }

    /// <summary>The bootstrap server; its configurations are what <c>/api/bootstrap</c> edits.</summary>
    public Lwm2mBootstrapServer Bootstrap { get; }

    /// <summary>The hub the <c>/api/events</c> stream reads from.</summary>
    public ServerEventHub Events { get; }

    /// <summary>The UDP address the LwM2M server listens on (with the port actually bound).</summary>
    public IPEndPoint CoapEndPoint => Server.LocalEndPoint.EndPoint;

    /// <summary>The UDP address of the LwM2M server's DTLS listener, or null when there is none.</summary>
    public IPEndPoint? CoapsEndPoint { get; private init; }

    /// <summary>The LwM2M server's sockets: plain CoAP and, with a coaps port, DTLS (its handshake events are on <see cref="Lwm2mServerTransport.Dtls"/>).</summary>
    public Lwm2mServerTransport Transport { get; private init; } = null!;

    /// <summary>The security entries; what <c>/api/security</c> edits.</summary>
    public ISecurityStore Security { get; private init; } = null!;

    /// <summary>The bootstrap server's sockets: plain CoAP and, with a bootstrap coaps port, DTLS.</summary>
    public Lwm2mServerTransport BootstrapTransport { get; private init; } = null!;

    /// <summary>The bootstrap server's security entries; what <c>/api/bootstrap-security</c> edits.</summary>
    public ISecurityStore BootstrapSecurity { get; private init; } = null!;

    /// <summary>
    /// The link that gives <see cref="Security"/> the credentials bootstrap configurations provision (it is
    /// <see cref="Bootstrap"/>'s store); null when <see cref="TernServerHostOptions.ProvisionServerSecurity"/> is off.
    /// </summary>
    public ProvisioningBootstrapStore? Provisioning { get; private init; }

    /// <summary>The UDP address of the bootstrap server's DTLS listener, or null when there is none.</summary>
    public IPEndPoint? BootstrapCoapsEndPoint => BootstrapTransport.CoapsEndPoint?.EndPoint;

    /// <summary>The UDP address the bootstrap server listens on (with the port actually bound).</summary>
    public IPEndPoint BootstrapEndPoint => Bootstrap.LocalEndPoint.EndPoint;

    /// <summary>The base address of the REST API (with the port actually bound), e.g. <c>http://127.0.0.1:8080/</c>.</summary>
    public Uri HttpAddress { get; }

    /// <summary>Binds the CoAP sockets, starts the LwM2M and bootstrap servers, then starts the HTTP side.</summary>
    /// <exception cref="System.Net.Sockets.SocketException">A CoAP port cannot be bound.</exception>
    /// <exception cref="IOException">The HTTP port cannot be bound.</exception>
    public static async Task<TernServerHost> StartAsync(TernServerHostOptions options, ILoggerFactory? loggers = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var started = new List<IAsyncDisposable>();
        try
        {
            ISecurityStore security = options.Security ?? new InMemorySecurityStore();
            ISecurityStore bootstrapSecurity = options.BootstrapSecurity ?? new InMemorySecurityStore();
            Lwm2mServerTransport transport = await Lwm2mServerTransport.BindAsync(TransportOptions(options, options.CoapPort, options.CoapsPort, security), cancellationToken).ConfigureAwait(false);
            started.Add(transport);
            Lwm2mServer server = await Lwm2mServer.StartAsync(options.WrapTransport?.Invoke(transport) ?? transport, options.Server, options.Time, loggers).ConfigureAwait(false);
            started[^1] = server;

            ProvisioningBootstrapStore? link = null;
            Lwm2mBootstrapServerOptions? bootstrapOptions = options.Bootstrap;
            if (options.ProvisionServerSecurity)
            {
                // Without a DTLS listener no account can be this server's: a link there would only lock NoSec clients out.
                link = new ProvisioningBootstrapStore(options.Bootstrap?.Store ?? new InMemoryBootstrapConfigurationStore(), security,
                    transport.CoapsEndPoint is { } coaps ? BootstrapServerCredentials.CoapsPort(coaps.EndPoint.Port) : _ => false,
                    loggers?.CreateLogger<ProvisioningBootstrapStore>());
                await link.SyncAsync(cancellationToken).ConfigureAwait(false);
                bootstrapOptions = (options.Bootstrap ?? new Lwm2mBootstrapServerOptions()).WithStore(link);
            }

            Lwm2mServerTransport bootstrapTransport = await Lwm2mServerTransport.BindAsync(
                TransportOptions(options, options.BootstrapPort, options.BootstrapCoapsPort, bootstrapSecurity), cancellationToken).ConfigureAwait(false);
            started.Add(bootstrapTransport);
            Lwm2mBootstrapServer bootstrap = await Lwm2mBootstrapServer.StartAsync(options.WrapTransport?.Invoke(bootstrapTransport) ?? bootstrapTransport, bootstrapOptions, options.Time, loggers).ConfigureAwait(false);
            started[^1] = bootstrap;

            WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(options.Bind, options.HttpPort));
            builder.Services.AddProblemDetails();
            WebApplication web = builder.Build();
            started.Add(web);
            var events = new ServerEventHub();
            web.MapTernServerApi(server, events);
            web.MapTernBootstrapApi(bootstrap, events, options.Server?.Formats);
            web.MapTernSecurityApi(security);
            web.MapTernSecurityApi(bootstrapSecurity, TernSecurityApi.BootstrapRoute);
            await web.StartAsync(cancellationToken).ConfigureAwait(false);
            return new TernServerHost(server, bootstrap, web, events, new Uri(web.Urls.First())) 
            {
                Security = security,
                CoapsEndPoint = transport.CoapsEndPoint?.EndPoint,
                Transport = transport,
                BootstrapSecurity = bootstrapSecurity,
                BootstrapTransport = bootstrapTransport,
                Provisioning = link,
            };
        }
        catch
        {
            for (int i = started.Count - 1; i >= 0; i--)
            {
                await started[i].DisposeAsync().ConfigureAwait(false);
            }
            throw;
        }
    }

    private static Lwm2mServerTransportOptions TransportOptions(TernServerHostOptions options, int coapPort, int? coapsPort, ISecurityStore security) => new()
    {
        CoapEndPoint = new IPEndPoint(options.Bind, coapPort),
        CoapsEndPoint = coapsPort is { } port ? new IPEndPoint(options.Bind, port) : null,
        Security = security,
        Certificate = options.Certificate,
        TrustedClientCertificates = options.TrustedClientCertificates,
        IdleTimeout = options.DtlsIdleTimeout,
        TimeProvider = options.Time ?? TimeProvider.System,
    };

    /// <summary>Stops the HTTP side, then the bootstrap and LwM2M servers.</summary>
    public async ValueTask DisposeAsync()
    {
        using (var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            await _web.StopAsync(stop.Token).ConfigureAwait(false);
        }
        await _web.DisposeAsync().ConfigureAwait(false);
        await Bootstrap.DisposeAsync().ConfigureAwait(false);
        await Server.DisposeAsync().ConfigureAwait(false);
        Provisioning?.Dispose();
    }
}
