namespace Tern.Lwm2m.Client.Firmware;

/// <summary>What an <see cref="IFirmwareInstaller"/> did with the package.</summary>
public enum FirmwareInstallOutcome
{
    /// <summary>Installed and running, no restart needed: Update Result 1 now.</summary>
    Installed,

    /// <summary>
    /// Installation continues across a restart: the state stays Updating on disk, and after the restart the
    /// application calls <see cref="FirmwareUpdate.ReportUpdateOutcome"/> with what it found.
    /// </summary>
    RestartPending,

    /// <summary>Installation failed; the package is kept (State Downloaded, Update Result 8).</summary>
    Failed,

    /// <summary>The image itself proved bad; it is deleted (State Idle, Update Result 5).</summary>
    InvalidImage,
}

/// <summary>Installs a stored package: the application's part of an update (flash, swap slots, restart).</summary>
public interface IFirmwareInstaller
{
    /// <summary>Installs the package at <paramref name="packagePath"/>.</summary>
    /// <param name="packagePath">The verified package file in the state directory.</param>
    /// <param name="cancellationToken">Stops the installation when object 5 is disposed.</param>
    ValueTask<FirmwareInstallOutcome> InstallAsync(string packagePath, CancellationToken cancellationToken);
}

/// <summary>The application's answer to a <see cref="FirmwareRebootRequested"/>.</summary>
public sealed record FirmwareRebootDecision
{
    private FirmwareRebootDecision(TimeSpan? postpone) => PostponeFor = postpone;

    /// <summary>Go ahead now.</summary>
    public static FirmwareRebootDecision Proceed { get; } = new((TimeSpan?)null);

    /// <summary>How long the application wants to wait; null to proceed.</summary>
    public TimeSpan? PostponeFor { get; }

    /// <summary>Ask again after <paramref name="delay"/> (never beyond the Maximum Defer Period).</summary>
    public static FirmwareRebootDecision Postpone(TimeSpan delay) =>
        delay > TimeSpan.Zero ? new(delay) : throw new ArgumentOutOfRangeException(nameof(delay), delay, "Postpone by a positive span.");
}
