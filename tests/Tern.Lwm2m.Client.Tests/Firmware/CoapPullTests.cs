using Tern.Coap.Transport.Virtual;
using Tern.Lwm2m.Client.Firmware;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Client.Tests.Firmware;

/// <summary>Pulls from a Package URI over CoAP Block2 on the virtual network and clock.</summary>
public sealed class CoapPullTests : IDisposable
{
    private const int ImageSize = 100 * 1024;
    private readonly TempDirectory _dir = new();
    private readonly EventLog _events = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_pull_over_coap_fetches_each_block_once_and_reaches_downloaded_with_progress_of_the_total()
    {
        byte[] image = Images.Random(ImageSize, 20);
        await using CoapPullRig rig = await CoapPullRig.StartAsync(image);
        await using FirmwareUpdate fw = rig.Open(_dir.Path, _events, new Crc32FirmwareVerifier(Crc32.Compute(image)));

        Assert.Equal(FirmwareOperationStatus.Changed, fw.WritePackageUri(rig.Uri));
        Assert.True(await rig.RunUntilAsync(fw, () => fw.StoredBytes == image.Length, TimeSpan.FromMinutes(5)));
        await fw.WhenIdleAsync();

        Assert.Equal(FirmwareUpdateState.Downloaded, fw.State);
        Assert.Equal(image, File.ReadAllBytes(fw.PackagePath!));
        uint[] requested = [.. rig.BlockTraffic().Where(t => t.FromClient).Select(t => t.Num)];
        Assert.Equal(Enumerable.Range(0, ImageSize / 1024).Select(n => (uint)n), requested);
        Assert.Equal(["FirmwareUpdateStarted", "FirmwareDownloaded"], _events.Flow);
        Assert.All(_events.Of<FirmwareDownloadProgress>(), p => Assert.Equal(image.Length, p.Total));
    }

    /// <summary>
    /// The partition cuts the pull twice, each time long enough for the block's exchange to time out. Each retry
    /// asks for the block after the last one stored: no block answered before is ever requested again.
    /// <code>
    /// client                      server
    ///   | GET Block2 0..29   -->  |   (stored)
    ///   |  ~~ partition ~~        |   block 30: retransmitted, times out -> interrupted #1, pause 10 s
    ///   | GET Block2 30..59  -->  |   (heal; resumes at 30)
    ///   |  ~~ partition ~~        |   block 60: times out -> interrupted #2
    ///   | GET Block2 60..99  -->  |   (heal; resumes at 60, M=0 on 99)
    /// </code>
    /// </summary>
    [Fact]
    public async Task A_pull_interrupted_twice_resumes_without_fetching_any_completed_block_again()
    {
        byte[] image = Images.Random(ImageSize, 21);
        await using CoapPullRig rig = await CoapPullRig.StartAsync(image);
        await using FirmwareUpdate fw = rig.Open(_dir.Path, _events, new Sha256FirmwareVerifier(System.Security.Cryptography.SHA256.HashData(image)));
        var client = rig.Client.LocalEndPoint;
        var server = rig.Server.LocalEndPoint;

        fw.WritePackageUri(rig.Uri);
        Assert.True(await rig.RunUntilAsync(fw, () => fw.StoredBytes >= 30 * 1024, TimeSpan.FromMinutes(1)));
        rig.Network.Partition(client, server);
        bool first = await rig.RunUntilAsync(fw, () => _events.Of<FirmwareDownloadInterrupted>().Count == 1, TimeSpan.FromMinutes(10));
        Assert.True(first, $"{fw.State} {fw.StoredBytes} idle {fw.IsIdle} now {rig.Clock.GetUtcNow():HH:mm:ss.fff} next {rig.Clock.NextTimerDue:HH:mm:ss.fff} ev {string.Join(",", _events.Flow)}\n" + string.Join("\n", rig.Network.Capture.TakeLast(12)));
        rig.Network.Heal(client, server);
        Assert.True(await rig.RunUntilAsync(fw, () => fw.StoredBytes >= 60 * 1024, TimeSpan.FromMinutes(10)));
        rig.Network.Partition(client, server);
        Assert.True(await rig.RunUntilAsync(fw, () => _events.Of<FirmwareDownloadInterrupted>().Count == 2, TimeSpan.FromMinutes(10)));
        rig.Network.Heal(client, server);
        Assert.True(await rig.RunUntilAsync(fw, () => fw.StoredBytes == image.Length, TimeSpan.FromMinutes(10)));
        await fw.WhenIdleAsync();

        Assert.Equal(FirmwareUpdateState.Downloaded, fw.State);
        Assert.Equal(image, File.ReadAllBytes(fw.PackagePath!));
        var traffic = rig.BlockTraffic();
        Assert.Contains(traffic, t => t.FromClient && t.Fate == VirtualDatagramFate.Partitioned);
        for (uint num = 0; num < ImageSize / 1024; num++)
        {
            int answered = traffic.ToList().FindIndex(t => !t.FromClient && t.Num == num && t.Fate == VirtualDatagramFate.Delivered);
            Assert.True(answered >= 0, $"block {num} never arrived");
            Assert.Single(traffic, t => !t.FromClient && t.Num == num && t.Fate == VirtualDatagramFate.Delivered);
            Assert.DoesNotContain(traffic.Skip(answered + 1), t => t.FromClient && t.Num == num);
        }

        IReadOnlyList<FirmwareDownloadInterrupted> interruptions = _events.Of<FirmwareDownloadInterrupted>();
        Assert.All(interruptions, i => Assert.Equal(0, i.ResumeAt % 1024));
        Assert.True(interruptions[1].ResumeAt > interruptions[0].ResumeAt, string.Join("; ", interruptions));
    }

    /// <summary>The "FOTA CRC failure" chart over a pull: FOTA_START, the error (invalid package), the image deleted; result 5.</summary>
    [Fact]
    public async Task A_corrupted_image_is_rejected_with_result_5_and_deleted()
    {
        byte[] good = Images.Random(ImageSize, 22);
        byte[] served = (byte[])good.Clone();
        served[50_000] ^= 0xFF;
        await using CoapPullRig rig = await CoapPullRig.StartAsync(served);
        await using FirmwareUpdate fw = rig.Open(_dir.Path, _events, new Crc32FirmwareVerifier(Crc32.Compute(good)));

        fw.WritePackageUri(rig.Uri);
        Assert.True(await rig.RunUntilAsync(fw, () => fw.StoredBytes == served.Length || fw.State != FirmwareUpdateState.Downloading, TimeSpan.FromMinutes(5)));
        await fw.WhenIdleAsync();

        Assert.Equal((FirmwareUpdateState.Idle, FirmwareUpdateResult.IntegrityCheckFailure), (fw.State, fw.Result));
        Assert.Equal(["FirmwareUpdateStarted", "FirmwareError", "FirmwareImageDeleted"], _events.Flow);
        Assert.Equal(FirmwareErrorValue.InvalidPackage, _events.Of<FirmwareError>()[0].Value);
        Assert.Empty(Directory.GetFiles(_dir.Path, "firmware.*"));
    }

    [Fact]
    public async Task A_pull_gives_up_with_result_4_only_after_the_configured_retries()
    {
        await using CoapPullRig rig = await CoapPullRig.StartAsync(Images.Random(4096, 23));
        await using FirmwareUpdate fw = rig.Open(_dir.Path, _events, maxRetries: 2);
        rig.Network.Partition(rig.Client.LocalEndPoint, rig.Server.LocalEndPoint);

        fw.WritePackageUri(rig.Uri);
        Assert.True(await rig.RunUntilAsync(fw, () => fw.State != FirmwareUpdateState.Downloading, TimeSpan.FromHours(1)));
        await fw.WhenIdleAsync();

        Assert.Equal((FirmwareUpdateState.Idle, FirmwareUpdateResult.ConnectionLost), (fw.State, fw.Result));
        Assert.Equal(["FirmwareUpdateStarted", "FirmwareDownloadInterrupted", "FirmwareDownloadInterrupted", "FirmwareError"], _events.Flow);
        Assert.Equal(FirmwareErrorKind.ConnectionLost, _events.Of<FirmwareError>()[0].Kind);
        // Three attempts at block 0, each a CON with its retransmissions (RFC 7252: 1 + MAX_RETRANSMIT 4).
        Assert.Equal(3 * 5, rig.BlockTraffic().Count(t => t.FromClient));
    }

    [Fact]
    public async Task A_uri_the_server_does_not_know_ends_with_result_7()
    {
        await using CoapPullRig rig = await CoapPullRig.StartAsync(Images.Random(2048, 24));
        await using FirmwareUpdate fw = rig.Open(_dir.Path, _events);

        fw.WritePackageUri(rig.Uri.Replace("image.bin", "missing.bin", StringComparison.Ordinal));
        bool ended = await rig.RunUntilAsync(fw, () => fw.State != FirmwareUpdateState.Downloading, TimeSpan.FromMinutes(1));

        Assert.True(ended, $"{fw.State} {rig.Clock.GetUtcNow():HH:mm:ss} next {rig.Clock.NextTimerDue:HH:mm:ss} idle {fw.IsIdle}\n" + string.Join("\n", rig.Network.Capture));
        Assert.Equal((FirmwareUpdateState.Idle, FirmwareUpdateResult.InvalidUri), (fw.State, fw.Result));
    }

    [Theory]
    [InlineData("ftp://files.example/fw.bin", FirmwareUpdateResult.UnsupportedProtocol)]
    [InlineData("coap+tcp://files.example/fw.bin", FirmwareUpdateResult.UnsupportedProtocol)]
    [InlineData("not a uri", FirmwareUpdateResult.InvalidUri)]
    [InlineData("/relative/fw.bin", FirmwareUpdateResult.InvalidUri)]
    public async Task A_uri_that_cannot_be_pulled_ends_at_once_with_the_result_the_ts_names(string uri, FirmwareUpdateResult expected)
    {
        await using CoapPullRig rig = await CoapPullRig.StartAsync(Images.Random(16, 25));
        await using FirmwareUpdate fw = rig.Open(_dir.Path, _events);

        Assert.Equal(FirmwareOperationStatus.Changed, fw.WritePackageUri(uri));
        await fw.WhenIdleAsync();

        Assert.Equal((FirmwareUpdateState.Idle, expected), (fw.State, fw.Result));
        Assert.Equal(["FirmwareUpdateStarted", "FirmwareError"], _events.Flow);
    }

    [Fact]
    public async Task A_pull_cut_by_a_restart_resumes_from_the_stored_blocks()
    {
        byte[] image = Images.Random(ImageSize, 26);
        await using CoapPullRig rig = await CoapPullRig.StartAsync(image);
        long storedBeforeRestart;
        await using (FirmwareUpdate before = rig.Open(_dir.Path, _events))
        {
            before.WritePackageUri(rig.Uri);
            Assert.True(await rig.RunUntilAsync(before, () => before.StoredBytes >= 40 * 1024, TimeSpan.FromMinutes(1)));
            storedBeforeRestart = before.StoredBytes;
        }

        await rig.Network.SettleAsync();
        rig.Network.ClearCapture();
        await using FirmwareUpdate after = rig.Open(_dir.Path, _events);
        Assert.True(await rig.RunUntilAsync(after, () => after.StoredBytes == image.Length, TimeSpan.FromMinutes(5)));
        await after.WhenIdleAsync();

        Assert.Equal(FirmwareUpdateState.Downloaded, after.State);
        Assert.Equal(image, File.ReadAllBytes(after.PackagePath!));
        Assert.Equal((uint)(storedBeforeRestart / 1024), rig.BlockTraffic().First(t => t.FromClient).Num);
    }

    [Fact]
    public async Task Writing_an_empty_uri_during_a_pull_stops_it_and_resets_to_idle()
    {
        await using CoapPullRig rig = await CoapPullRig.StartAsync(Images.Random(ImageSize, 27));
        await using FirmwareUpdate fw = rig.Open(_dir.Path, _events);
        fw.WritePackageUri(rig.Uri);
        Assert.True(await rig.RunUntilAsync(fw, () => fw.StoredBytes >= 10 * 1024, TimeSpan.FromMinutes(1)));

        Assert.Equal(FirmwareOperationStatus.Changed, fw.WritePackageUri(""));
        await rig.Network.RunForAsync(TimeSpan.FromMinutes(1));
        await fw.WhenIdleAsync();

        Assert.Equal((FirmwareUpdateState.Idle, FirmwareUpdateResult.Initial), (fw.State, fw.Result));
        Assert.Empty(Directory.GetFiles(_dir.Path, "firmware.*"));
    }
}
