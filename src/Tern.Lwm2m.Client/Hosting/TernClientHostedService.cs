using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tern.Lwm2m.Client.Configuration;
using Tern.Lwm2m.Client.Firmware;

namespace Tern.Lwm2m.Client.Hosting;

/// <summary>Runs one <see cref="Lwm2mClient"/> over UDP or DTLS (as its Security instance says) for the lifetime of a Microsoft.Extensions.Hosting host.</summary>
internal sealed class TernClientHostedService(TernClientHostOptions options, TimeProvider time, ILoggerFactory? loggers) : IHostedService, IAsyncDisposable
{
    private Lwm2mClientTransport? _transport;

    /// <summary>The running client, once started.</summary>
    public Lwm2mClient? Client { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var clientOptions = options.Client ?? throw new InvalidOperationException("TernClientHostOptions.Client must be set: it names the endpoint.");
        if (options.StateDirectory is { } directory)
        {
            clientOptions = clientOptions.WithStateDirectory(directory);
        }

        var configuration = LoadConfiguration(clientOptions.StateDirectory);
        _transport = await Lwm2mClientTransport.CreateAsync(
            configuration,
            new Lwm2mClientTransportOptions
            {
                LocalEndPoint = options.LocalEndPoint,
                Coap = Lwm2mFirmwareObject.WithPackageStreaming(options.Store, options.Coap),
                Time = time,
                Loggers = loggers,
            },
            cancellationToken).ConfigureAwait(false);
        // The factory configuration goes to the client, which loads the saved state (and reports a damaged one) itself.
        var factory = options.Configuration ?? configuration;
        Client = options.Store is { } store
            ? new Lwm2mClient(factory, clientOptions, _transport.Endpoint, store, time, loggers, _transport.ResolvePeerAsync)
            : new Lwm2mClient(factory, clientOptions, _transport.Endpoint, time, loggers, _transport.ResolvePeerAsync);
        Client.ConnectionClosed += _transport.CloseConnection;
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

        if (_transport is not null)
        {
            await _transport.DisposeAsync().ConfigureAwait(false);
            _transport = null;
        }
    }

    /// <summary>The configuration the transport is set up for: the saved one when usable, else the factory one.</summary>
    private Lwm2mClientConfiguration LoadConfiguration(string? stateDirectory)
    {
        if (stateDirectory is not null)
        {
            var saved = new Lwm2mStateStore(stateDirectory).Load();
            switch (saved.Status)
            {
                case Lwm2mStateStatus.Loaded:
                    return saved.Configuration!;
                case Lwm2mStateStatus.Corrupted when options.Configuration is null:
                    throw new InvalidOperationException(saved.Error + " There is no factory configuration to fall back to: set TernClientHostOptions.Configuration, or remove or repair the file.");
            }
        }

        return options.Configuration
            ?? throw new InvalidOperationException("No configuration: set TernClientHostOptions.Configuration or point StateDirectory at saved state.");
    }
}
