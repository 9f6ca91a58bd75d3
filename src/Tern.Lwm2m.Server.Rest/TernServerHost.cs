using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tern.Coap.Transport.Udp;
using Tern.Lwm2m.Server.Rest.Events;

namespace Tern.Lwm2m.Server.Rest;

/// <summary>
/// Runs an LwM2M server over UDP and the REST API over HTTP together, as <c>tern server</c> does.
/// Dispose it to stop both.
/// </summary>
public sealed class TernServerHost : IAsyncDisposable
{
    private readonly WebApplication _web;

    private TernServerHost(Lwm2mServer server, WebApplication web, ServerEventHub events, Uri httpAddress)
    {
        Server = server;
        _web = web;
        Events = events;
        HttpAddress = httpAddress;
    }

    /// <summary>The LwM2M server.</summary>
    public Lwm2mServer Server { get; }

    /// <summary>The hub the <c>/api/events</c> stream reads from.</summary>
    public ServerEventHub Events { get; }

    /// <summary>The UDP address the LwM2M server listens on (with the port actually bound).</summary>
    public IPEndPoint CoapEndPoint => Server.LocalEndPoint.EndPoint;

    /// <summary>The base address of the REST API (with the port actually bound), e.g. <c>http://127.0.0.1:8080</c>.</summary>
    public Uri HttpAddress { get; }

    /// <summary>Binds the CoAP socket, starts the LwM2M server, then starts the HTTP side.</summary>
    /// <exception cref="System.Net.Sockets.SocketException">A CoAP port cannot be bound.</exception>
    /// <exception cref="IOException">The HTTP port cannot be bound.</exception>
    public static async Task<TernServerHost> StartAsync(TernServerHostOptions options, ILoggerFactory? loggers = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        UdpCoapTransport transport = await UdpCoapTransport.BindAsync(new IPEndPoint(options.Bind, options.CoapPort), cancellationToken: cancellationToken).ConfigureAwait(false);
        Lwm2mServer server;
        try
        {
            server = await Lwm2mServer.StartAsync(transport, options.Server, options.Time, loggers).ConfigureAwait(false);
        }
        catch
        {
            await transport.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        try
        {
            WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(options.Bind, options.HttpPort));
            builder.Services.AddProblemDetails();
            WebApplication web = builder.Build();
            var events = new ServerEventHub();
            web.MapTernServerApi(server, events);
            await web.StartAsync(cancellationToken).ConfigureAwait(false);
            Uri address = new(web.Urls.First());
            return new TernServerHost(server, web, events, address);
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Stops the HTTP side, then the LwM2M server.</summary>
    public async ValueTask DisposeAsync()
    {
        using (var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            await _web.StopAsync(stop.Token).ConfigureAwait(false);
        }
        await _web.DisposeAsync().ConfigureAwait(false);
        await Server.DisposeAsync().ConfigureAwait(false);
    }
}
