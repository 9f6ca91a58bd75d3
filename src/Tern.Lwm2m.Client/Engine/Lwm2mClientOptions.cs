using Tern.Coap.Engine;

namespace Tern.Lwm2m.Client.Engine;

/// <summary>Settings of the client lifecycle that are not LwM2M resources.</summary>
public sealed class Lwm2mClientOptions
{
    /// <summary>Creates options for the given endpoint name.</summary>
    /// <param name="endpointName">The <c>ep</c> the client registers with.</param>
    public Lwm2mClientOptions(string endpointName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(endpointName);
        EndpointName = endpointName;
    }

    /// <summary>The endpoint client name (<c>ep</c>).</summary>
    public string EndpointName { get; }

    /// <summary>The versions the application allows, highest first; Register starts with the first and falls back on 4.12.</summary>
    public IReadOnlyList<Lwm2mVersion> AllowedVersions { get; init; } = [Lwm2mVersion.Lwm2m12, Lwm2mVersion.Lwm2m11, Lwm2mVersion.Lwm2m10];

    /// <summary>The objects advertised in Register.</summary>
    public IReadOnlyList<Lwm2mObjectAdvert> Objects { get; init; } = [];

    /// <summary>The content format advertised as <c>&lt;/&gt;;ct=</c>; null advertises none.</summary>
    public ushort? PreferredContentFormat { get; init; } = 112;

    /// <summary>CoAP transmission parameters; their MAX_TRANSMIT_WAIT shapes the Update schedule.</summary>
    public CoapTransmissionOptions Transmission { get; init; } = CoapTransmissionOptions.Default;

    /// <summary>How long a queue-mode client keeps listening after its last exchange; null means MAX_TRANSMIT_WAIT.</summary>
    public TimeSpan? QueueModeTimeout { get; init; }

    /// <summary>The shortest time between two Updates that the application or a change triggers (seed 003's guard).</summary>
    public TimeSpan UpdateFloodGuard { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>An optional upper bound on the time between Updates, used when shorter than the lifetime schedule.</summary>
    public TimeSpan? UpdatePeriod { get; init; }

    /// <summary>
    /// The wait before the first bootstrap retry; retry n waits this times 2^(n-1) (Anjay Lite's
    /// <c>bootstrap_retry_timeout</c>). Default 60 s.
    /// </summary>
    public TimeSpan BootstrapRetryTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How many times a failed bootstrap (no or an error answer to Bootstrap-Request, no Bootstrap-Finish in time) is
    /// retried before the client enters Failure; 0 gives up after the first attempt (Anjay Lite's
    /// <c>bootstrap_retry_count</c>). Default 3.
    /// </summary>
    public int BootstrapRetryCount { get; init; } = 3;

    /// <summary>
    /// How long the client waits for Bootstrap-Finish after the bootstrap server accepted Bootstrap-Request, restarted by
    /// every request the bootstrap server makes and by a refused Bootstrap-Finish. Default 247 s, CoAP's EXCHANGE_LIFETIME,
    /// as Anjay Lite uses.
    /// </summary>
    public TimeSpan BootstrapFinishTimeout { get; init; } = TimeSpan.FromSeconds(247);

    /// <summary>
    /// A directory where <see cref="Lwm2mClient"/> keeps the configuration a bootstrap server provided
    /// (<see cref="Configuration.Lwm2mStateStore"/>), so that a restart registers without bootstrapping again.
    /// Null keeps nothing. The engine itself does no I/O and ignores this setting.
    /// </summary>
    public string? StateDirectory { get; init; }

    /// <summary>Throws when a setting is unusable.</summary>
    public void Validate()
    {
        if (BootstrapRetryTimeout < TimeSpan.Zero || BootstrapRetryCount < 0 || BootstrapFinishTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException(
                $"BootstrapRetryTimeout ({BootstrapRetryTimeout}) and BootstrapRetryCount ({BootstrapRetryCount}) must not be negative and BootstrapFinishTimeout ({BootstrapFinishTimeout}) must be positive.");
        }


        if (AllowedVersions.Count == 0)
        {
            throw new ArgumentException("AllowedVersions must name at least one LwM2M version.", nameof(AllowedVersions));
        }

        if (UpdateFloodGuard < TimeSpan.Zero || QueueModeTimeout < TimeSpan.Zero || UpdatePeriod <= TimeSpan.Zero)
        {
            throw new ArgumentException("UpdateFloodGuard and QueueModeTimeout must not be negative and UpdatePeriod must be positive.");
        }
    }

    /// <summary>A copy of these options with <see cref="StateDirectory"/> replaced (the hosting layer passes its own).</summary>
    internal Lwm2mClientOptions WithStateDirectory(string? stateDirectory) => new(EndpointName)
    {
        AllowedVersions = AllowedVersions,
        Objects = Objects,
        PreferredContentFormat = PreferredContentFormat,
        Transmission = Transmission,
        QueueModeTimeout = QueueModeTimeout,
        UpdateFloodGuard = UpdateFloodGuard,
        UpdatePeriod = UpdatePeriod,
        BootstrapRetryTimeout = BootstrapRetryTimeout,
        BootstrapRetryCount = BootstrapRetryCount,
        BootstrapFinishTimeout = BootstrapFinishTimeout,
        StateDirectory = stateDirectory,
    };

    internal TimeSpan EffectiveQueueModeTimeout => QueueModeTimeout ?? Transmission.MaxTransmitWait;
}
