using Tern.Lwm2m.Client.Firmware;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Client.Tests.Firmware;

/// <summary>Pulls over http/https from a loopback server: Range resume, a refused certificate, a missing file.</summary>
public sealed class HttpPullTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly EventLog _events = new();

    public void Dispose() => _dir.Dispose();

    private FirmwareUpdate Open(HttpFirmwareDownloader downloader, IFirmwareVerifier? verifier = null) =>
        FirmwareUpdate.Open(new FirmwareUpdateOptions(_dir.Path)
        {
            Downloaders = [downloader],
            Verifier = verifier,
            Events = _events.Add,
            Pull = new FirmwarePullOptions { MaxRetries = 3, RetryDelay = TimeSpan.Zero },
        });

    [Fact]
    public async Task An_http_pull_cut_twice_resumes_with_range_requests_and_never_fetches_a_byte_twice()
    {
        byte[] image = Images.Random(300_000, 30);
        await using var server = new LoopbackHttpServer(image, cutAfter: [100_000, 90_000]);
        using var downloader = new HttpFirmwareDownloader();
        await using FirmwareUpdate fw = Open(downloader, new Crc32FirmwareVerifier(Crc32.Compute(image)));

        fw.WritePackageUri(server.Uri());
        await fw.WhenIdleAsync();

        Assert.Equal(FirmwareUpdateState.Downloaded, fw.State);
        Assert.Equal(image, File.ReadAllBytes(fw.PackagePath!));
        Assert.Equal([null, 100_000L, 190_000L], server.RangeStarts);
        Assert.Equal(image.Length, server.BodyBytes);
        Assert.Equal([100_000L, 190_000L], _events.Of<FirmwareDownloadInterrupted>().Select(i => i.ResumeAt));
        Assert.Equal(image.Length, _events.Of<FirmwareDownloadProgress>()[^1].Total);
    }

    [Fact]
    public async Task A_server_that_ignores_range_is_read_from_the_start_and_the_stored_bytes_are_kept()
    {
        byte[] image = Images.Random(200_000, 34);
        await using var server = new LoopbackHttpServer(image, cutAfter: [120_000], ignoreRange: true);
        using var downloader = new HttpFirmwareDownloader();
        await using FirmwareUpdate fw = Open(downloader, new Crc32FirmwareVerifier(Crc32.Compute(image)));

        fw.WritePackageUri(server.Uri());
        await fw.WhenIdleAsync();

        Assert.Equal(FirmwareUpdateState.Downloaded, fw.State);
        Assert.Equal(image, File.ReadAllBytes(fw.PackagePath!));
        Assert.Equal([null, 120_000L], server.RangeStarts);
    }

    /// <summary>
    /// The "FOTA CA certificate failure" chart of seed 000:
    /// <code>
    /// library -> app  FOTA_START
    /// [library] apply security tag that contains an invalid certificate
    /// library -> app  ERROR (type FOTA_FAIL, value ECONNREFUSED)
    /// </code>
    /// </summary>
    [Fact]
    public async Task An_https_server_with_an_untrusted_certificate_ends_as_the_fota_ca_certificate_failure_chart()
    {
        await using var server = new LoopbackHttpServer(Images.Random(10_000, 31), tls: true);
        using var downloader = new HttpFirmwareDownloader();
        await using FirmwareUpdate fw = Open(downloader);

        fw.WritePackageUri(server.Uri());
        await fw.WhenIdleAsync();

        Assert.Equal(["FirmwareUpdateStarted", "FirmwareError"], _events.Flow);
        FirmwareError error = _events.Of<FirmwareError>()[0];
        Assert.Equal((FirmwareErrorKind.UpdateFailed, FirmwareErrorValue.ConnectionRefused), (error.Kind, error.Value));
        Assert.Equal((FirmwareUpdateState.Idle, FirmwareUpdateResult.ConnectionLost), (fw.State, fw.Result));
        Assert.Equal(1, server.Connections);
    }

    [Fact]
    public async Task An_https_server_the_application_trusts_serves_the_package()
    {
        byte[] image = Images.Random(20_000, 32);
        await using var server = new LoopbackHttpServer(image, tls: true);
        using var downloader = new HttpFirmwareDownloader(new SocketsHttpHandler
        {
            SslOptions = { RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate?.Subject == "CN=127.0.0.1" },
        });
        await using FirmwareUpdate fw = Open(downloader);

        fw.WritePackageUri(server.Uri());
        await fw.WhenIdleAsync();

        Assert.Equal(FirmwareUpdateState.Downloaded, fw.State);
        Assert.Equal(image, File.ReadAllBytes(fw.PackagePath!));
    }

    [Fact]
    public async Task A_missing_file_ends_with_result_7()
    {
        await using var server = new LoopbackHttpServer(Images.Random(100, 33));
        using var downloader = new HttpFirmwareDownloader();
        await using FirmwareUpdate fw = Open(downloader);

        fw.WritePackageUri(server.Uri("/fw/other.bin"));
        await fw.WhenIdleAsync();

        Assert.Equal((FirmwareUpdateState.Idle, FirmwareUpdateResult.InvalidUri), (fw.State, fw.Result));
    }
}
