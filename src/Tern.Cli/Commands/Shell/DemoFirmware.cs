using System.Globalization;
using System.Security.Cryptography;
using Tern.Lwm2m.Client.Configuration;
using Tern.Lwm2m.Client.DataModel.Objects;
using Tern.Lwm2m.Client.Engine;
using Tern.Lwm2m.Client.Firmware;
using Tern.Lwm2m.Model;

namespace Tern.Cli.Commands.Shell;

/// <summary>
/// Firmware Update (5) of <c>tern client</c>'s demo device. Packages, pushed to /5/0/0 (streamed) or pulled from
/// /5/0/1 (coap, coaps, http, https), are kept in <c>STATE-DIR/firmware</c>; the download shows a progress bar. Once a
/// package is stored it is named as a real device would read its header: a pulled <c>NAME-VERSION.EXT</c> gives PkgName
/// and PkgVersion (/5/0/6, /5/0/7), anything else is named <c>firmware</c> with the first 8 hex digits of its SHA-256 as
/// the version. Update "installs" it: the client reboots (restarts its engine), then /3/0/3 shows PkgVersion and
/// Update Result is 1. The installed version is kept in the state directory, so a restarted <c>tern client</c> on the
/// same directory still runs it; an installation cut by quitting is reported as a success at the next start.
/// </summary>
internal sealed class DemoFirmware : IFirmwareInstaller, IAsyncDisposable
{
    private const string InstalledFile = "installed-version";
    private readonly Lwm2mDevice _device;
    private readonly string _directory;
    private readonly Action<string> _line;
    private readonly FirmwareProgressView _progress;
    private readonly HttpFirmwareDownloader _http;
    private FirmwareUpdate? _update;

    private DemoFirmware(Lwm2mDevice device, string directory, Action<string> line, FirmwareProgressView progress, TimeProvider time)
    {
        _http = new HttpFirmwareDownloader(time: time);
        _device = device;
        _directory = directory;
        _line = line;
        _progress = progress;
    }

    /// <summary>Object 5.</summary>
    public FirmwareUpdate Update => _update!;

    /// <summary>How the device reboots to run the new firmware (the client's engine restart); nothing when null.</summary>
    public Func<ValueTask>? Reboot { get; set; }

    /// <summary>Adds object 5 to <paramref name="device"/>'s store, its state and package in <paramref name="directory"/>.</summary>
    /// <param name="device">The demo device.</param>
    /// <param name="directory">Where the firmware state and package live (created when missing).</param>
    /// <param name="time">The clock.</param>
    /// <param name="line">Writes one output line.</param>
    /// <param name="progress">Shows the download progress.</param>
    /// <param name="accounts">
    /// The client's current accounts, whose DTLS credentials open coaps pulls (see <see cref="CoapsFirmwarePull"/>);
    /// null, or a null answer, when there are none.
    /// </param>
    public static DemoFirmware Open(DemoDevice device, string directory, TimeProvider time, Action<string> line, FirmwareProgressView progress, Func<Lwm2mClientConfiguration?>? accounts = null)
    {
        Directory.CreateDirectory(directory);
        var firmware = new DemoFirmware(device.Device, directory, line, progress, time);
        string installed = Path.Combine(directory, InstalledFile);
        if (File.Exists(installed))
        {
            device.Device.FirmwareVersion = File.ReadAllText(installed).Trim();
        }

        firmware._update = FirmwareUpdate.Open(new FirmwareUpdateOptions(directory)
        {
            Installer = firmware,
            Events = firmware.OnEvent,
            ProgressStep = 16 * 1024,
            Downloaders = [new CoapFirmwareDownloader(), CoapsFirmwarePull.Create(accounts ?? (() => null), time), firmware._http],
        }, time);
        device.Store.AddFirmwareUpdate(firmware._update);
        if (firmware._update.State == FirmwareUpdateState.Updating)
        {
            // The last run quit while "installing": this start is the reboot that completes it.
            firmware.Installed(firmware._update.PackageVersion);
            firmware._update.ReportUpdateOutcome(success: true);
        }

        return firmware;
    }

    /// <inheritdoc />
    public async ValueTask<FirmwareInstallOutcome> InstallAsync(string packagePath, CancellationToken cancellationToken)
    {
        string version = _update!.PackageVersion;
        _line($"fota-install  installing {_update.PackageName} {version} ({new FileInfo(packagePath).Length} bytes); rebooting");
        if (Reboot is { } reboot)
        {
            await reboot().ConfigureAwait(false);
        }

        Installed(version);
        return FirmwareInstallOutcome.Installed;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_update is not null)
        {
            await _update.DisposeAsync().ConfigureAwait(false);
        }

        _http.Dispose();
    }

    /// <summary>The name and version read from a package: from a pulled <c>NAME-VERSION.EXT</c>, else from its content.</summary>
    /// <param name="packageUri">The URI it was pulled from; empty when pushed.</param>
    /// <param name="packagePath">The stored package.</param>
    public static (string Name, string Version) Identify(string packageUri, string packagePath)
    {
        if (Uri.TryCreate(packageUri, UriKind.Absolute, out Uri? uri))
        {
            string file = Path.GetFileNameWithoutExtension(uri.AbsolutePath.TrimEnd('/'));
            // The version starts at the first dash followed by a digit: sensor-node-10.4, tracker-1.0.0-rc1.
            for (int dash = file.IndexOf('-', StringComparison.Ordinal); dash > 0 && dash < file.Length - 1; dash = file.IndexOf('-', dash + 1))
            {
                if (char.IsAsciiDigit(file[dash + 1]))
                {
                    return (file[..dash], file[(dash + 1)..]);
                }
            }
        }

        using FileStream stream = File.OpenRead(packagePath);
        string digest = Convert.ToHexStringLower(SHA256.HashData(stream));
        return ("firmware", digest[..8]);
    }

    private void Installed(string version)
    {
        _device.FirmwareVersion = version;
        File.WriteAllText(Path.Combine(_directory, InstalledFile), version);
    }

    private void OnEvent(Lwm2mClientEvent firmwareEvent)
    {
        switch (firmwareEvent)
        {
            case FirmwareUpdateStarted e:
                _progress.Reset();
                _line(e.PackageUri.Length == 0 ? "fota-start    push to /5/0/0" : $"fota-start    pull {e.PackageUri}");
                break;
            case FirmwareDownloadProgress e:
                _progress.Show(e.Bytes, e.Total);
                break;
            case FirmwareDownloadInterrupted e:
                _line($"fota-resume   attempt {e.Attempt} from byte {e.ResumeAt}: {e.Reason}");
                break;
            case FirmwareDownloaded e:
                OnDownloaded(e);
                break;
            case FirmwareRebootRequested:
                _line("fota-update   update requested");
                break;
            case FirmwareUpdateDeferred e:
                _line(string.Create(CultureInfo.InvariantCulture, $"fota-defer    until {e.Until:HH:mm:ss}"));
                break;
            case FirmwareUpdating:
                break;
            case FirmwareUpdateSucceeded e:
                _line($"fota-ok       firmware {e.PackageVersion} running, Update Result 1");
                break;
            case FirmwareError e:
                _line($"fota-error    {e.Kind} {e.Value}: {e.Reason} (Update Result {(int)e.Result})");
                break;
            case FirmwareImageDeleted:
                _line("fota-deleted  package removed");
                break;
            default:
                _line(firmwareEvent.ToString());
                break;
        }
    }

    private void OnDownloaded(FirmwareDownloaded downloaded)
    {
        FirmwareUpdate update = _update!;
        if (update.PackagePath is not { } path)
        {
            return;
        }

        try
        {
            (string name, string version) = Identify(update.PackageUri, path);
            update.SetPackageInfo(name, version);
            _line($"fota-stored   {name} {version}, {downloaded.Bytes} bytes in {path}");
        }
        catch (IOException e)
        {
            _line($"fota-stored   {downloaded.Bytes} bytes in {path} (unreadable: {e.Message})");
        }
    }
}
