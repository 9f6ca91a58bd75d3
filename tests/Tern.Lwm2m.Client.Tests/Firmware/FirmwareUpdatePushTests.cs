using Tern.Coap.Timing;
using Tern.Lwm2m.Client.Firmware;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Client.Tests.Firmware;

/// <summary>Object 5 driven as the dispatcher will drive it: Package written block-wise, Update, Cancel, restarts.</summary>
public sealed class FirmwareUpdatePushTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly EventLog _events = new();
    private readonly VirtualTimeProvider _clock = new();

    public void Dispose() => _dir.Dispose();

    private FirmwareUpdate Open(IFirmwareVerifier? verifier = null, IFirmwareInstaller? installer = null, Func<FirmwareRebootRequested, FirmwareRebootDecision>? policy = null,
        FirmwareDeliveryMethod delivery = FirmwareDeliveryMethod.Both) =>
        FirmwareUpdate.Open(new FirmwareUpdateOptions(_dir.Path)
        {
            Verifier = verifier, Installer = installer, RebootPolicy = policy, Events = _events.Add, DeliveryMethod = delivery, Downloaders = [],
        }, _clock);

    private static List<FirmwareOperationStatus> Push(FirmwareUpdate fw, byte[] image, int block = 1024)
    {
        var statuses = new List<FirmwareOperationStatus>();
        for (int offset = 0; offset < image.Length; offset += block)
        {
            int length = Math.Min(block, image.Length - offset);
            statuses.Add(fw.WritePackageBlock(offset, image.AsSpan(offset, length), more: offset + length < image.Length));
        }

        return statuses;
    }

    [Fact]
    public async Task A_package_pushed_block_by_block_is_stored_verified_and_downloaded()
    {
        byte[] image = Images.Random(50_000, 10);
        await using FirmwareUpdate fw = Open(new Crc32FirmwareVerifier(Crc32.Compute(image)));

        List<FirmwareOperationStatus> statuses = Push(fw, image);
        await fw.WhenIdleAsync();

        Assert.All(statuses[..^1], s => Assert.Equal(FirmwareOperationStatus.Continue, s));
        Assert.Equal(FirmwareOperationStatus.Changed, statuses[^1]);
        Assert.Equal((FirmwareUpdateState.Downloaded, FirmwareUpdateResult.Initial), (fw.State, fw.Result));
        Assert.Equal(image, File.ReadAllBytes(fw.PackagePath!));
        Assert.Equal(["FirmwareUpdateStarted", "FirmwareDownloaded"], _events.Flow);
        FirmwareDownloadProgress last = _events.Of<FirmwareDownloadProgress>()[^1];
        Assert.Equal((image.Length, (long?)image.Length), (last.Bytes, last.Total));
    }

    /// <summary>
    /// The "FOTA CRC failure" chart of seed 000:
    /// <code>
    /// library -> app  FOTA_START
    /// === download ongoing ===   [library] CRC error detected in the downloaded image
    /// library -> app  ERROR (type FOTA_FAIL, value EINVAL)
    /// [library] image deleted
    /// </code>
    /// </summary>
    [Fact]
    public async Task A_crc_mismatch_ends_in_result_5_with_the_events_of_the_fota_crc_failure_chart()
    {
        byte[] image = Images.Random(20_000, 11);
        byte[] corrupted = (byte[])image.Clone();
        corrupted[7777] ^= 0x10;
        await using FirmwareUpdate fw = Open(new Crc32FirmwareVerifier(Crc32.Compute(image)));

        Push(fw, corrupted);
        await fw.WhenIdleAsync();

        Assert.Equal((FirmwareUpdateState.Idle, FirmwareUpdateResult.IntegrityCheckFailure), (fw.State, fw.Result));
        Assert.Equal(["FirmwareUpdateStarted", "FirmwareError", "FirmwareImageDeleted"], _events.Flow);
        FirmwareError error = _events.Of<FirmwareError>()[0];
        Assert.Equal((FirmwareErrorKind.UpdateFailed, FirmwareErrorValue.InvalidPackage, FirmwareUpdateResult.IntegrityCheckFailure), (error.Kind, error.Value, error.Result));
        Assert.Empty(Directory.GetFiles(_dir.Path, "firmware.*"));
    }

    [Fact]
    public async Task Update_before_the_package_is_downloaded_is_refused_with_method_not_allowed()
    {
        await using FirmwareUpdate fw = Open();
        Assert.Equal(FirmwareOperationStatus.MethodNotAllowed, fw.ExecuteUpdate());
        fw.WritePackageBlock(0, new byte[1024], more: true);
        Assert.Equal(FirmwareOperationStatus.MethodNotAllowed, fw.ExecuteUpdate());
        Assert.DoesNotContain(_events.All, e => e is FirmwareRebootRequested);
    }

    [Fact]
    public async Task A_block_out_of_order_is_refused_as_incomplete()
    {
        await using FirmwareUpdate fw = Open();
        fw.WritePackageBlock(0, new byte[1024], more: true);
        Assert.Equal(FirmwareOperationStatus.Incomplete, fw.WritePackageBlock(2048, new byte[1024], more: true));
    }

    [Fact]
    public async Task Writing_an_empty_package_resets_to_idle_and_deletes_the_partial_image()
    {
        await using FirmwareUpdate fw = Open();
        fw.WritePackageBlock(0, new byte[1024], more: true);

        Assert.Equal(FirmwareOperationStatus.Changed, fw.WritePackageBlock(0, [], more: false));

        Assert.Equal((FirmwareUpdateState.Idle, FirmwareUpdateResult.Initial), (fw.State, fw.Result));
        Assert.Empty(Directory.GetFiles(_dir.Path, "firmware.*"));
    }

    [Fact]
    public async Task Cancel_during_a_push_returns_to_idle_with_10()
    {
        await using FirmwareUpdate fw = Open();
        fw.WritePackageBlock(0, new byte[1024], more: true);

        Assert.Equal(FirmwareOperationStatus.Changed, fw.ExecuteCancel());

        Assert.Equal((FirmwareUpdateState.Idle, FirmwareUpdateResult.Cancelled), (fw.State, fw.Result));
        // The transfer is gone: a later block lacks its predecessors (RFC 7959 §2.9.2), and nothing is stored.
        Assert.Equal(FirmwareOperationStatus.Incomplete, fw.WritePackageBlock(1024, new byte[1024], more: false));
        Assert.Equal((FirmwareUpdateState.Idle, FirmwareUpdateResult.Cancelled), (fw.State, fw.Result));
        Assert.Empty(Directory.GetFiles(_dir.Path, "firmware.*"));
    }

    [Fact]
    public async Task A_pull_only_client_refuses_a_pushed_package()
    {
        await using FirmwareUpdate fw = Open(delivery: FirmwareDeliveryMethod.PullOnly);
        Assert.Equal(FirmwareOperationStatus.MethodNotAllowed, fw.WritePackageBlock(0, new byte[10], more: false));
        Assert.Equal(FirmwareUpdateState.Idle, fw.State);
    }

    [Fact]
    public async Task An_installer_that_succeeds_ends_in_idle_with_result_1()
    {
        var installer = new RecordingInstaller(FirmwareInstallOutcome.Installed);
        await using FirmwareUpdate fw = Open(installer: installer);
        Push(fw, Images.Random(3000, 12));
        await fw.WhenIdleAsync();

        Assert.Equal(FirmwareOperationStatus.Changed, fw.ExecuteUpdate());
        await fw.WhenIdleAsync();

        Assert.Equal((FirmwareUpdateState.Idle, FirmwareUpdateResult.Success), (fw.State, fw.Result));
        Assert.Equal(1, installer.Calls);
        Assert.Equal(["FirmwareUpdateStarted", "FirmwareDownloaded", "FirmwareRebootRequested", "FirmwareUpdating", "FirmwareUpdateSucceeded"], _events.Flow);
    }

    [Fact]
    public async Task An_installer_that_fails_returns_to_downloaded_with_result_8()
    {
        await using FirmwareUpdate fw = Open(installer: new RecordingInstaller(FirmwareInstallOutcome.Failed));
        Push(fw, Images.Random(3000, 13));
        await fw.WhenIdleAsync();
        fw.ExecuteUpdate();
        await fw.WhenIdleAsync();

        Assert.Equal((FirmwareUpdateState.Downloaded, FirmwareUpdateResult.UpdateFailed), (fw.State, fw.Result));
        Assert.Equal(FirmwareErrorKind.UpdateFailed, _events.Of<FirmwareError>()[0].Kind);
    }

    [Fact]
    public async Task An_update_across_a_restart_is_reported_as_success_after_the_reboot()
    {
        await using (FirmwareUpdate before = Open(installer: new RecordingInstaller(FirmwareInstallOutcome.RestartPending)))
        {
            before.SetPackageInfo("app", "2.0.0");
            Push(before, Images.Random(3000, 14));
            await before.WhenIdleAsync();
            before.ExecuteUpdate();
            await before.WhenIdleAsync();
            Assert.Equal(FirmwareUpdateState.Updating, before.State);
        }

        await using (FirmwareUpdate afterReboot = Open())
        {
            Assert.Equal(FirmwareUpdateState.Updating, afterReboot.State);
            afterReboot.ReportUpdateOutcome(success: true);
        }

        await using FirmwareUpdate later = Open();
        Assert.Equal((FirmwareUpdateState.Idle, FirmwareUpdateResult.Success, "2.0.0"), (later.State, later.Result, later.PackageVersion));
        Assert.Contains(_events.All, e => e is FirmwareUpdateSucceeded { PackageVersion: "2.0.0" });
    }

    [Fact]
    public async Task An_update_that_failed_across_a_restart_is_reported_as_8()
    {
        await using (FirmwareUpdate before = Open())
        {
            Push(before, Images.Random(3000, 15));
            await before.WhenIdleAsync();
            before.ExecuteUpdate();
        }

        await using FirmwareUpdate afterReboot = Open();
        afterReboot.ReportUpdateOutcome(success: false);

        Assert.Equal((FirmwareUpdateState.Downloaded, FirmwareUpdateResult.UpdateFailed), (afterReboot.State, afterReboot.Result));
    }

    [Fact]
    public async Task A_push_cut_by_a_restart_ends_in_idle_with_connection_lost()
    {
        await using (FirmwareUpdate before = Open())
        {
            before.WritePackageBlock(0, new byte[1024], more: true);
        }

        await using FirmwareUpdate after = Open();

        Assert.Equal((FirmwareUpdateState.Idle, FirmwareUpdateResult.ConnectionLost), (after.State, after.Result));
    }

    [Fact]
    public async Task A_corrupted_state_file_is_reported_and_object_5_starts_idle()
    {
        await using (FirmwareUpdate before = Open())
        {
            Push(before, Images.Random(2000, 16));
            await before.WhenIdleAsync();
        }

        string file = Path.Combine(_dir.Path, "firmware-state");
        byte[] bytes = File.ReadAllBytes(file);
        bytes[^3] ^= 0x01;
        File.WriteAllBytes(file, bytes);

        await using FirmwareUpdate after = Open();

        Assert.Equal(FirmwareUpdateState.Idle, after.State);
        Assert.Single(_events.Of<FirmwareStateCorrupted>());
    }

    [Fact]
    public async Task A_postponed_reboot_defers_with_11_asks_again_and_starts_unasked_at_the_maximum_defer_period()
    {
        int asked = 0;
        var installer = new RecordingInstaller(FirmwareInstallOutcome.Installed);
        await using FirmwareUpdate fw = Open(installer: installer, policy: _ => { asked++; return FirmwareRebootDecision.Postpone(TimeSpan.FromMinutes(20)); });
        fw.WriteMaximumDeferPeriod(3600);
        Push(fw, Images.Random(2000, 17));
        await fw.WhenIdleAsync();

        fw.ExecuteUpdate();
        Assert.Equal((FirmwareUpdateState.Downloaded, FirmwareUpdateResult.Deferred), (fw.State, fw.Result));
        _clock.Advance(TimeSpan.FromMinutes(20));
        Assert.Equal(2, asked);
        _clock.Advance(TimeSpan.FromMinutes(20));
        Assert.Equal(3, asked);
        Assert.Equal(0, installer.Calls);
        _clock.Advance(TimeSpan.FromMinutes(20));
        await fw.WhenIdleAsync();

        Assert.Equal(3, asked);
        Assert.Equal(1, installer.Calls);
        Assert.Equal((FirmwareUpdateState.Idle, FirmwareUpdateResult.Success), (fw.State, fw.Result));
        Assert.Equal(3, _events.Of<FirmwareUpdateDeferred>().Count);
    }

    [Fact]
    public async Task Reads_give_the_values_the_dispatcher_encodes()
    {
        await using FirmwareUpdate fw = Open();
        fw.WritePackageBlock(0, new byte[10], more: true);

        Assert.True(fw.TryRead(3, out IReadOnlyList<Tern.Lwm2m.Model.Lwm2mValue> state));
        Assert.True(fw.TryRead(5, out IReadOnlyList<Tern.Lwm2m.Model.Lwm2mValue> result));
        Assert.True(fw.TryRead(12, out IReadOnlyList<Tern.Lwm2m.Model.Lwm2mValue> changed));
        Assert.False(fw.TryRead(0, out _));
        Assert.False(fw.TryRead(2, out _));
        Assert.Equal(1, state[0].AsInteger());
        Assert.Equal(0, result[0].AsInteger());
        Assert.Equal(_clock.GetUtcNow().ToUnixTimeSeconds(), changed[0].AsUnixTime());
    }

    [Fact]
    public async Task Each_state_change_is_logged_with_its_result()
    {
        var logs = new ListLoggerFactory();
        await using FirmwareUpdate fw = FirmwareUpdate.Open(new FirmwareUpdateOptions(_dir.Path) { Downloaders = [] }, _clock, logs);
        fw.WritePackageBlock(0, new byte[10], more: true);
        fw.ExecuteCancel();

        Assert.Equal(
            ["Firmware update Idle -> Downloading (Update Result 0)", "Firmware update Downloading -> Idle (Update Result 10)"],
            logs.Messages.Where(m => m.Contains("->", StringComparison.Ordinal)));
    }

    private sealed class ListLoggerFactory : Microsoft.Extensions.Logging.ILoggerFactory, Microsoft.Extensions.Logging.ILogger
    {
        public List<string> Messages { get; } = [];

        public void AddProvider(Microsoft.Extensions.Logging.ILoggerProvider provider)
        {
        }

        public Microsoft.Extensions.Logging.ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Messages.Add(formatter(state, exception));

        public void Dispose()
        {
        }
    }

    private sealed class RecordingInstaller(FirmwareInstallOutcome outcome) : IFirmwareInstaller
    {
        public int Calls { get; private set; }

        public ValueTask<FirmwareInstallOutcome> InstallAsync(string packagePath, CancellationToken cancellationToken)
        {
            Calls++;
            Assert.True(File.Exists(packagePath));
            return ValueTask.FromResult(outcome);
        }
    }
}
