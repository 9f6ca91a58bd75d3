using Tern.Lwm2m.Client.Firmware;
using Tern.Lwm2m.Formats;
using Tern.Lwm2m.Model;
using Tern.Lwm2m.Server.Firmware;
using Tern.Lwm2m.Server.Operations;

namespace Tern.Lwm2m.Client.Tests.Firmware;

/// <summary>
/// The FOTA charts of seed 000 end to end: the Tern server starts the update (<see cref="Lwm2mFirmwareUpdates"/>), the
/// Tern client's object 5 carries it out, on the virtual network and clock (the https case uses a real loopback TLS host).
/// </summary>
public sealed class ServerDrivenFotaTests
{
    private static bool IsSubsequence(IReadOnlyList<string> expected, IReadOnlyList<string> actual)
    {
        int at = 0;
        foreach (string name in actual)
        {
            if (at < expected.Count && expected[at] == name)
            {
                at++;
            }
        }

        return at == expected.Count;
    }

    /// <summary>
    /// "LwM2M Server initiated modem FOTA" (seed 000), with the Tern server as the carrier's server:
    /// <code>
    /// server -> device   Write /5/0/1 coap://server/fw/ID        device: FOTA_START
    /// device -> server   GET /fw/ID, Block2 0..N                  [firmware is downloaded to the device]
    /// server -> device   Execute /5/0/2                           device: reboot requested, updating
    /// ==== device restarts, applies the image, registers again ====
    /// server -> device   Observe /5/0/3, /5/0/5 -> 0, 1           device: FOTA_SUCCESS
    /// server -> device   Read /3/0/3 -> the new version
    /// </code>
    /// </summary>
    [Fact]
    public async Task Pull_from_the_servers_coap_resource_reboots_re_registers_and_ends_with_result_1_and_the_new_version()
    {
        byte[] image = Images.Random(20_000, 61);
        var installer = new RestartingInstaller();
        await using ServerFotaRig rig = await ServerFotaRig.StartAsync(() => new Crc32FirmwareVerifier(Crc32.Compute(image)), () => installer, version: "1.0.0");

        FirmwareUpdateOutcome started = await rig.RunAsync(rig.Server.Firmware.StartAsync(ServerFotaRig.Endpoint, new FirmwareUpdateRequest(image, FirmwareDelivery.Pull)));
        Assert.True(started.IsSuccess, started.ToString());
        Uri uri = started.Status!.PackageUri!;
        Assert.Equal(("coap", rig.Server.LocalEndPoint.EndPoint.Port), (uri.Scheme, uri.Port));
        Assert.StartsWith("/fw/", uri.AbsolutePath, StringComparison.Ordinal);

        Assert.True(await rig.RunUntilAsync(() => installer.Installed.Count == 1, TimeSpan.FromSeconds(300)), "the image was not installed");
        Assert.Equal(image, installer.Installed[0]);
        Assert.Equal(FirmwareUpdatePhase.Updating, rig.Server.Firmware.GetStatus(ServerFotaRig.Endpoint)!.Phase);

        await rig.RebootAsync("2.0.0");
        FirmwareUpdateStatus status = await rig.RunUntilFinishedAsync();

        Assert.Equal((FirmwareUpdatePhase.Succeeded, FirmwareUpdateResult.Success, "2.0.0"), (status.Phase, status.Result, status.FirmwareVersion));
        Assert.Equal(["FotaStarted", "FotaDownloading", "FotaDownloaded", "FotaUpdating", "FotaReregistered", "FotaSucceeded"], rig.ServerFlow);
        Assert.Equal("2.0.0", Assert.IsType<FotaSucceeded>(rig.ServerEvents.Last()).FirmwareVersion);
        Assert.Equal(["FirmwareUpdateStarted", "FirmwareDownloaded", "FirmwareRebootRequested", "FirmwareUpdating", "FirmwareUpdateSucceeded"], rig.DeviceEvents.Flow);
        Assert.Equal(0, rig.Server.FirmwareImages.Count);

        ReadResult result = await rig.RunAsync(rig.Server.ReadAsync(ServerFotaRig.Endpoint, new Lwm2mPath(5, 0, 5), Lwm2mContentFormat.Text));
        Assert.Equal(1L, Assert.IsType<Lwm2mSingleResource>(result.Node).Value.AsInteger());
    }

    /// <summary>
    /// "FOTA CRC failure" (seed 000): the server serves an image whose CRC is not the one the device expects.
    /// <code>
    /// device: FOTA_START ... [CRC error detected in the downloaded image] -> ERROR (FOTA_FAIL, EINVAL) -> image deleted
    /// server: Update Result 5 (integrity check failure); Update never executed
    /// </code>
    /// </summary>
    [Fact]
    public async Task A_corrupted_image_served_by_the_server_ends_with_result_5_and_the_crc_failure_chart()
    {
        byte[] image = Images.Random(12_000, 62);
        byte[] corrupted = (byte[])image.Clone();
        corrupted[7_000] ^= 0x40;
        var installer = new RestartingInstaller();
        await using ServerFotaRig rig = await ServerFotaRig.StartAsync(() => new Crc32FirmwareVerifier(Crc32.Compute(image)), () => installer);

        FirmwareUpdateOutcome started = await rig.RunAsync(rig.Server.Firmware.StartAsync(ServerFotaRig.Endpoint, new FirmwareUpdateRequest(corrupted, FirmwareDelivery.Pull)));
        Assert.True(started.IsSuccess, started.ToString());
        FirmwareUpdateStatus status = await rig.RunUntilFinishedAsync();

        Assert.Equal((FirmwareUpdatePhase.Failed, FirmwareUpdateResult.IntegrityCheckFailure), (status.Phase, status.Result));
        FotaFailed failed = Assert.IsType<FotaFailed>(rig.ServerEvents.Last());
        Assert.Equal((FirmwareUpdateResult.IntegrityCheckFailure, "Integrity check failure for new downloaded package"), (failed.Result, failed.ResultName));
        Assert.Equal(["FotaStarted", "FotaDownloading", "FotaFailed"], rig.ServerFlow);
        Assert.Equal(["FirmwareUpdateStarted", "FirmwareError", "FirmwareImageDeleted"], rig.DeviceEvents.Flow);
        FirmwareError error = rig.DeviceEvents.Of<FirmwareError>()[0];
        Assert.Equal((FirmwareErrorKind.UpdateFailed, FirmwareErrorValue.InvalidPackage, FirmwareUpdateResult.IntegrityCheckFailure), (error.Kind, error.Value, error.Result));
        Assert.Empty(installer.Installed);
        Assert.DoesNotContain(rig.Network.Capture, d => d.From == rig.Server.LocalEndPoint && Tern.Coap.Messages.CoapMessageCodec.TryDecode(d.Bytes.Span, out var m) == Tern.Coap.Messages.CoapFormatError.None && m!.Code == Tern.Coap.Messages.CoapCode.Post && m.UriPath.EndsWith("/5/0/2", StringComparison.Ordinal));
    }

    /// <summary>
    /// "FOTA CA certificate failure" (seed 000): the Package URI the server writes names an https host whose certificate
    /// the device does not trust. The https host is a real loopback TLS server (<see cref="LoopbackHttpServer"/>, as the
    /// client's own CA test uses); the server and device still talk on the virtual network.
    /// <code>
    /// device: FOTA_START -> [apply security tag with an invalid certificate] -> ERROR (FOTA_FAIL, ECONNREFUSED)
    /// server: Update Result 4, no retry
    /// </code>
    /// </summary>
    [Fact]
    public async Task An_https_package_uri_with_an_untrusted_certificate_ends_as_the_ca_certificate_failure_chart()
    {
        byte[] image = Images.Random(8_000, 63);
        await using var https = new LoopbackHttpServer(image, tls: true);
        using var http = new HttpFirmwareDownloader();
        await using ServerFotaRig rig = await ServerFotaRig.StartAsync(() => new Crc32FirmwareVerifier(Crc32.Compute(image)), () => new RestartingInstaller(), downloaders: [http]);

        var request = new FirmwareUpdateRequest(image, FirmwareDelivery.Pull) { PackageUri = new Uri(https.Uri()) };
        FirmwareUpdateOutcome started = await rig.RunAsync(rig.Server.Firmware.StartAsync(ServerFotaRig.Endpoint, request));
        Assert.True(started.IsSuccess, started.ToString());
        Assert.True(await rig.RunUntilAsync(() => rig.DeviceEvents.Of<FirmwareUpdateStarted>().Count == 1, TimeSpan.FromSeconds(50)));

        // The TLS handshake happens in real time on loopback; the bound only guards against a hang.
        await rig.Firmware.WhenIdleAsync().WaitAsync(TimeSpan.FromSeconds(30));
        FirmwareUpdateStatus status = await rig.RunUntilFinishedAsync();

        Assert.Equal((FirmwareUpdatePhase.Failed, FirmwareUpdateResult.ConnectionLost), (status.Phase, status.Result));
        Assert.Equal(["FirmwareUpdateStarted", "FirmwareError"], rig.DeviceEvents.Flow);
        FirmwareError error = rig.DeviceEvents.Of<FirmwareError>()[0];
        Assert.Equal((FirmwareErrorKind.UpdateFailed, FirmwareErrorValue.ConnectionRefused), (error.Kind, error.Value));
        Assert.Equal("FotaFailed", rig.ServerFlow[^1]);
        Assert.Equal(1, https.Connections);
    }

    [Fact]
    public async Task A_64_kb_push_goes_block_wise_and_after_the_reboot_ends_with_result_1()
    {
        byte[] image = Images.Random(64 * 1024, 64);
        var installer = new RestartingInstaller();
        await using ServerFotaRig rig = await ServerFotaRig.StartAsync(() => new Sha256FirmwareVerifier(System.Security.Cryptography.SHA256.HashData(image)), () => installer);

        FirmwareUpdateOutcome started = await rig.RunAsync(rig.Server.Firmware.StartAsync(ServerFotaRig.Endpoint, new FirmwareUpdateRequest(image, FirmwareDelivery.Push)));
        Assert.True(started.IsSuccess, started.ToString());
        Assert.True(await rig.RunUntilAsync(() => installer.Installed.Count == 1, TimeSpan.FromSeconds(600)), $"the image was not installed: {rig.Server.Firmware.GetStatus(ServerFotaRig.Endpoint)}");
        Assert.Equal(image, installer.Installed[0]);

        // No datagram carried the package whole: it went in Block1 blocks of at most 1024 bytes.
        var toDevice = rig.Network.Capture.Where(d => d.To == rig.ClientEndpoint.LocalEndPoint && !d.Dropped).ToList();
        Assert.All(toDevice, d => Assert.True(d.Bytes.Length <= 1152));
        Assert.True(toDevice.Count(d => d.Bytes.Length > 1024) >= 64);

        await rig.RebootAsync("2.1.0");
        FirmwareUpdateStatus status = await rig.RunUntilFinishedAsync();

        Assert.Equal((FirmwareUpdatePhase.Succeeded, "2.1.0", image.LongLength), (status.Phase, status.FirmwareVersion, status.BytesDelivered));
        Assert.True(IsSubsequence(["FotaStarted", "FotaProgress", "FotaDownloaded", "FotaUpdating", "FotaReregistered", "FotaSucceeded"], rig.ServerFlow), string.Join(",", rig.ServerFlow));
        Assert.Null(started.Status!.PackageUri);
    }

    [Fact]
    public async Task Without_auto_update_the_server_waits_at_downloaded_and_a_cancel_through_5_0_10_ends_it_with_result_10()
    {
        byte[] image = Images.Random(9_000, 65);
        var installer = new RestartingInstaller();
        await using ServerFotaRig rig = await ServerFotaRig.StartAsync(() => new Crc32FirmwareVerifier(Crc32.Compute(image)), () => installer);

        await rig.RunAsync(rig.Server.Firmware.StartAsync(ServerFotaRig.Endpoint, new FirmwareUpdateRequest(image, FirmwareDelivery.Pull) { AutoUpdate = false }));
        Assert.True(await rig.RunUntilAsync(() => rig.Server.Firmware.GetStatus(ServerFotaRig.Endpoint)!.Phase == FirmwareUpdatePhase.Downloaded, TimeSpan.FromSeconds(120)));
        Assert.Equal(FirmwareUpdateState.Downloaded, rig.Firmware.State);

        FirmwareUpdateOutcome cancelled = await rig.RunAsync(rig.Server.Firmware.CancelAsync(ServerFotaRig.Endpoint));
        FirmwareUpdateStatus status = await rig.RunUntilFinishedAsync();

        Assert.True(cancelled.IsSuccess, cancelled.ToString());
        Assert.Equal(FirmwareUpdatePhase.Cancelled, status.Phase);
        Assert.Equal((FirmwareUpdateState.Idle, FirmwareUpdateResult.Cancelled), (rig.Firmware.State, rig.Firmware.Result));
        Assert.Empty(installer.Installed);
        Assert.Equal(["FotaStarted", "FotaDownloading", "FotaDownloaded", "FotaCancelled"], rig.ServerFlow);
    }

    [Fact]
    public async Task Without_auto_update_update_is_executed_on_request_and_the_update_succeeds()
    {
        byte[] image = Images.Random(9_000, 66);
        var installer = new RestartingInstaller();
        await using ServerFotaRig rig = await ServerFotaRig.StartAsync(() => new Crc32FirmwareVerifier(Crc32.Compute(image)), () => installer);

        await rig.RunAsync(rig.Server.Firmware.StartAsync(ServerFotaRig.Endpoint, new FirmwareUpdateRequest(image, FirmwareDelivery.Pull) { AutoUpdate = false }));
        Assert.True(await rig.RunUntilAsync(() => rig.Server.Firmware.GetStatus(ServerFotaRig.Endpoint)!.Phase == FirmwareUpdatePhase.Downloaded, TimeSpan.FromSeconds(120)));
        Assert.Empty(installer.Installed);

        FirmwareUpdateOutcome executed = await rig.RunAsync(rig.Server.Firmware.ExecuteUpdateAsync(ServerFotaRig.Endpoint));
        Assert.True(executed.IsSuccess, executed.ToString());
        Assert.True(await rig.RunUntilAsync(() => installer.Installed.Count == 1, TimeSpan.FromSeconds(60)));
        await rig.RebootAsync("3.0.0");
        FirmwareUpdateStatus status = await rig.RunUntilFinishedAsync();

        Assert.Equal((FirmwareUpdatePhase.Succeeded, "3.0.0"), (status.Phase, status.FirmwareVersion));
    }
}
