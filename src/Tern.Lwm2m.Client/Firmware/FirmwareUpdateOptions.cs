using Tern.Lwm2m.Client.Engine;

namespace Tern.Lwm2m.Client.Firmware;

/// <summary>Settings of <see cref="FirmwareUpdate"/>.</summary>
public sealed class FirmwareUpdateOptions
{
    private readonly long _maxPackageBytes = 64L * 1024 * 1024;
    private readonly long _progressStep = 64 * 1024;

    /// <summary>Uses <paramref name="stateDirectory"/> for the state file and the package.</summary>
    /// <param name="stateDirectory">The client's state directory.</param>
    public FirmwareUpdateOptions(string stateDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(stateDirectory);
        StateDirectory = stateDirectory;
    }

    /// <summary>Where <c>firmware-state</c>, <c>firmware.part</c> and <c>firmware.bin</c> live.</summary>
    public string StateDirectory { get; }

    /// <summary>The largest package accepted (default 64 MiB); a larger one ends with Update Result 2.</summary>
    public long MaxPackageBytes
    {
        get => _maxPackageBytes;
        init => _maxPackageBytes = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(MaxPackageBytes), value, "Allow at least one byte.");
    }

    /// <summary>Push, pull or both (/5/0/9; default both).</summary>
    public FirmwareDeliveryMethod DeliveryMethod { get; init; } = FirmwareDeliveryMethod.Both;

    /// <summary>
    /// The pull downloaders; default plain CoAP over UDP and HTTP/HTTPS. Add a <see cref="CoapFirmwareDownloader"/>
    /// with a DTLS connector for coaps.
    /// </summary>
    public IReadOnlyList<IFirmwareDownloader>? Downloaders { get; init; }

    /// <summary>Retry settings of a pull.</summary>
    public FirmwarePullOptions Pull { get; init; } = new();

    /// <summary>Checks a stored package before it counts as downloaded; null accepts every package.</summary>
    public IFirmwareVerifier? Verifier { get; set; }

    /// <summary>Installs a package on Update; null leaves the state Updating until <see cref="FirmwareUpdate.ReportUpdateOutcome"/>.</summary>
    public IFirmwareInstaller? Installer { get; init; }

    /// <summary>Asked on Update whether to go ahead or postpone (within /5/0/13); null always proceeds.</summary>
    public Func<FirmwareRebootRequested, FirmwareRebootDecision>? RebootPolicy { get; init; }

    /// <summary>Receives every firmware event (the client forwards them to its event stream); called under no lock.</summary>
    public Action<Lwm2mClientEvent>? Events { get; init; }

    /// <summary>A progress event is raised each time this many more bytes are stored, and at the end (default 64 KiB).</summary>
    public long ProgressStep
    {
        get => _progressStep;
        init => _progressStep = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(ProgressStep), value, "The step must be positive.");
    }
}
