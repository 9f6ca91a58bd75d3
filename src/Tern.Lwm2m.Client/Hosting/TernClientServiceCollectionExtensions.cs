using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Tern.Lwm2m.Client.Hosting;

/// <summary>Registers a Tern LwM2M client as a hosted service.</summary>
public static class TernClientServiceCollectionExtensions
{
    /// <summary>
    /// Adds a hosted service that opens UDP (or DTLS, for a PSK or certificate account), starts an <see cref="Lwm2mClient"/> when the host starts, and stops it
    /// (deregistering unless told otherwise) when the host stops. Uses the registered <see cref="TimeProvider"/> and
    /// <see cref="ILoggerFactory"/> when there are any.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Fills in the options; <see cref="TernClientHostOptions.Client"/> is required.</param>
    public static IServiceCollection AddTernClient(this IServiceCollection services, Action<TernClientHostOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        var options = new TernClientHostOptions();
        configure(options);
        if (options.Client is null)
        {
            throw new ArgumentException("AddTernClient needs TernClientHostOptions.Client (the endpoint name and objects).", nameof(configure));
        }

        services.AddSingleton<IHostedService>(provider => new TernClientHostedService(
            options,
            provider.GetService<TimeProvider>() ?? TimeProvider.System,
            provider.GetService<ILoggerFactory>()));
        return services;
    }
}
