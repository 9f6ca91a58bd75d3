using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tern.Coap.Endpoint;
using Tern.Coap.Transport.Udp;
using Tern.Lwm2m.Client.Configuration;

namespace Tern.Lwm2m.Client.Hosting;

/// <summary>Runs one <see cref="Lwm2mClient"/> over UDP for the lifetime of a Microsoft.Extensions.Hosting host.</summary>
internal sealed class TernClientHostedService(TernClientHostOptions options, TimeProvider time, ILoggerFactory? loggers) : IHostedService, IAsyncDisposable
{
    private CoapEndpoint? _endpoint;

    /// <summary>The running client, once started.</summary>
    public Lwm2mClient? Client { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var clientOptions = options.Client ?? throw new InvalidOperationException("TernClientHostOptions.Client must be set: it names the endpoint.");
        var configuration = LoadConfiguration();
        var transport = await UdpCoapTransport.BindAsync(options.LocalEndPoint, cancellationToken: cancellationToken).ConfigureAwait(false);
        _endpoint = await CoapEndpoint.StartAsync(transport, null, time, loggers).ConfigureAwait(false);
        Client = new Lwm2mClient(configuration, clientOptions, _endpoint, time, loggers);
        await Client.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Client is not null)
        {
            try
            {
                await Client.StopAsync(options.DeregisterOnStop, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // The host gave up waiting for Deregister; close anyway.
            }
        }

        await DisposeAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (Client is not null)
        {
            await Client.DisposeAsync().ConfigureAwait(false);
            Client = null;
        }

        if (_endpoint is not null)
        {
            await _endpoint.DisposeAsync().ConfigureAwait(false);
            _endpoint = null;
        }
    }

    private Lwm2mClientConfiguration LoadConfiguration()
    {
        if (options.StateDirectory is { } directory)
        {
            var saved = new Lwm2mStateStore(directory).Load();
            switch (saved.Status)
            {
                case Lwm2mStateStatus.Loaded:
                    return saved.Configuration!;
                case Lwm2mStateStatus.Corrupted:
                    throw new InvalidOperationException(saved.Error + " Remove or repair it to start from the factory configuration.");
            }
        }

        return options.Configuration
            ?? throw new InvalidOperationException("No configuration: set TernClientHostOptions.Configuration or point StateDirectory at saved state.");
    }
}
