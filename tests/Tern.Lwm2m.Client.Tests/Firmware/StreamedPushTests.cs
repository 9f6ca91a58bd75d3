using Tern.Lwm2m.Client.Firmware;
using Tern.Lwm2m.Formats;
using Tern.Lwm2m.Model;
using Tern.Lwm2m.Server.Operations;

namespace Tern.Lwm2m.Client.Tests.Firmware;

/// <summary>
/// A Tern server pushes a package to /5/0/0 of a Tern client whose endpoint passes package blocks through: the image
/// streams to the state directory block by block, so it may be far larger than the endpoint's MaxBodySize.
/// </summary>
public sealed class StreamedPushTests : IDisposable
{
    private const int SmallBody = 64 * 1024;
    private readonly TempDirectory _dir = new();
    private readonly EventLog _events = new();

    public void Dispose() => _dir.Dispose();

    private FirmwareUpdateOptions Options(byte[] image, long maxPackage = 64L * 1024 * 1024) =>
        new(_dir.Path) { Downloaders = [], Events = _events.Add, Verifier = new Crc32FirmwareVerifier(Crc32.Compute(image)), MaxPackageBytes = maxPackage, ProgressStep = 256 * 1024 };

    private static Task<Lwm2mResult> Push(StreamedPushRig rig, byte[] image) =>
        rig.Server.WriteAsync("node-1", Lwm2mPath.Parse("/5/0/0"), new Lwm2mSingleResource(0, Lwm2mValue.FromOpaque(image)), format: Lwm2mContentFormat.Opaque, timeout: TimeSpan.FromHours(2));

    [Fact]
    public async Task A_4_mb_package_streams_to_storage_through_an_endpoint_whose_max_body_size_is_64_kb()
    {
        byte[] image = Images.Random(4 * 1024 * 1024, 40);
        await using StreamedPushRig rig = await StreamedPushRig.StartAsync(Options(image), SmallBody, passThrough: true);

        Lwm2mResult result = await rig.RunAsync(Push(rig, image), TimeSpan.FromHours(2));
        await rig.Firmware.WhenIdleAsync();

        Assert.True(result.IsSuccess, result.Diagnostic);
        Assert.Equal(FirmwareUpdateState.Downloaded, rig.Firmware.State);
        Assert.Equal(["Idle -> Downloading", "Downloading -> Downloaded"], rig.Firmware.Transitions);
        Assert.Equal(image, File.ReadAllBytes(rig.Firmware.PackagePath!));
        // Progress came block by block while the transfer ran, not once at the end.
        var progress = _events.Of<FirmwareDownloadProgress>();
        Assert.True(progress.Count >= 16, $"{progress.Count} progress events");
        Assert.Equal(image.Length, progress[^1].Bytes);
    }

    [Fact]
    public async Task Without_pass_through_the_same_endpoint_refuses_a_package_larger_than_its_max_body_size()
    {
        byte[] image = Images.Random(256 * 1024, 41);
        await using StreamedPushRig rig = await StreamedPushRig.StartAsync(Options(image), SmallBody, passThrough: false);

        Lwm2mResult result = await rig.RunAsync(Push(rig, image), TimeSpan.FromHours(1));

        Assert.False(result.IsSuccess);
        Assert.Equal(Tern.Coap.Messages.CoapCode.RequestEntityTooLarge, result.Code);
        Assert.Equal(FirmwareUpdateState.Idle, rig.Firmware.State);
    }

    [Fact]
    public async Task A_streamed_package_failing_its_crc_ends_idle_with_update_result_5()
    {
        byte[] image = Images.Random(100 * 1024, 42);
        FirmwareUpdateOptions options = Options(image);
        options.Verifier = new Crc32FirmwareVerifier(Crc32.Compute(image) ^ 1);
        await using StreamedPushRig rig = await StreamedPushRig.StartAsync(options, SmallBody, passThrough: true);

        Lwm2mResult result = await rig.RunAsync(Push(rig, image), TimeSpan.FromHours(1));
        await rig.Firmware.WhenIdleAsync();

        Assert.True(result.IsSuccess, result.Diagnostic);
        Assert.Equal((FirmwareUpdateState.Idle, FirmwareUpdateResult.IntegrityCheckFailure), (rig.Firmware.State, rig.Firmware.Result));
        Assert.Equal(["Idle -> Downloading", "Downloading -> Idle"], rig.Firmware.Transitions);
    }

    [Fact]
    public async Task A_streamed_package_above_the_storage_limit_is_refused_with_4_13_and_update_result_2()
    {
        byte[] image = Images.Random(100 * 1024, 43);
        await using StreamedPushRig rig = await StreamedPushRig.StartAsync(Options(image, maxPackage: 50 * 1024), SmallBody, passThrough: true);

        Lwm2mResult result = await rig.RunAsync(Push(rig, image), TimeSpan.FromHours(1));

        Assert.Equal(Tern.Coap.Messages.CoapCode.RequestEntityTooLarge, result.Code);
        Assert.Equal((FirmwareUpdateState.Idle, FirmwareUpdateResult.NotEnoughFlash), (rig.Firmware.State, rig.Firmware.Result));
    }
}
