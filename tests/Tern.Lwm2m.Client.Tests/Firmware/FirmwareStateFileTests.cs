using Tern.Lwm2m.Client.Firmware;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Client.Tests.Firmware;

public sealed class FirmwareStateFileTests : IDisposable
{
    private static readonly FirmwareUpdateSnapshot Sample = new(
        FirmwareUpdateState.Updating, FirmwareUpdateResult.Initial, "coap://fw.example/img", "modem", "2.1.0",
        FirmwareSeverity.Critical, TimeSpan.FromHours(2), new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero), null);

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void A_saved_snapshot_loads_back_equal()
    {
        var file = new FirmwareStateFile(_dir.Path);
        file.Save(Sample);

        FirmwareStateLoadResult loaded = new FirmwareStateFile(_dir.Path).Load();

        Assert.Null(loaded.Error);
        Assert.Equal(Sample, loaded.Snapshot);
        Assert.False(File.Exists(file.FilePath + ".tmp"));
    }

    [Fact]
    public void A_missing_file_is_a_fresh_device_not_an_error()
    {
        FirmwareStateLoadResult loaded = new FirmwareStateFile(_dir.Path).Load();
        Assert.False(loaded.IsCorrupted);
        Assert.Equal(FirmwareUpdateSnapshot.Initial, loaded.Snapshot);
    }

    [Fact]
    public void Any_flipped_byte_in_the_file_is_detected_and_reported()
    {
        var file = new FirmwareStateFile(_dir.Path);
        file.Save(Sample);
        byte[] original = File.ReadAllBytes(file.FilePath);
        for (int i = 0; i < original.Length; i++)
        {
            byte[] damaged = (byte[])original.Clone();
            damaged[i] ^= 0x04;
            File.WriteAllBytes(file.FilePath, damaged);

            FirmwareStateLoadResult loaded = file.Load();

            Assert.True(loaded.IsCorrupted, $"byte {i} flipped was not noticed");
            Assert.Equal(FirmwareUpdateSnapshot.Initial, loaded.Snapshot);
        }
    }

    [Fact]
    public void A_truncated_file_is_reported_as_corrupted()
    {
        var file = new FirmwareStateFile(_dir.Path);
        file.Save(Sample);
        byte[] bytes = File.ReadAllBytes(file.FilePath);
        File.WriteAllBytes(file.FilePath, bytes[..(bytes.Length / 2)]);

        Assert.Contains("header says", new FirmwareStateFile(_dir.Path).Load().Error);
    }
}
