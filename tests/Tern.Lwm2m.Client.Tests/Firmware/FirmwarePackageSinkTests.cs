using Tern.Lwm2m.Client.Firmware;

namespace Tern.Lwm2m.Client.Tests.Firmware;

public sealed class FirmwarePackageSinkTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Blocks_written_in_order_end_as_the_exact_package_file()
    {
        byte[] image = Images.Random(10_000, 4);
        using var sink = new FirmwarePackageSink(_dir.Path, 1 << 20);
        var statuses = new List<FirmwareBlockStatus>();
        for (int offset = 0; offset < image.Length; offset += 1024)
        {
            int length = Math.Min(1024, image.Length - offset);
            statuses.Add(sink.Write(offset, image.AsSpan(offset, length), more: offset + length < image.Length));
        }

        Assert.All(statuses[..^1], s => Assert.Equal(FirmwareBlockStatus.Stored, s));
        Assert.Equal(FirmwareBlockStatus.Complete, statuses[^1]);
        Assert.True(sink.IsComplete);
        Assert.Equal(image, File.ReadAllBytes(sink.PackagePath));
        Assert.False(File.Exists(sink.PartPath));
    }

    [Fact]
    public void A_repeated_block_is_a_duplicate_and_a_skipped_block_is_a_gap()
    {
        byte[] image = Images.Random(4096, 5);
        using var sink = new FirmwarePackageSink(_dir.Path, 1 << 20);
        sink.Write(0, image.AsSpan(0, 1024), more: true);
        sink.Write(1024, image.AsSpan(1024, 1024), more: true);

        Assert.Equal(FirmwareBlockStatus.Duplicate, sink.Write(0, image.AsSpan(0, 1024), more: true));
        Assert.Equal(FirmwareBlockStatus.Gap, sink.Write(3072, image.AsSpan(3072, 1024), more: false));
        Assert.Equal(2048, sink.Length);
    }

    [Fact]
    public void A_last_block_that_ends_before_the_stored_bytes_is_refused_as_a_gap()
    {
        using var sink = new FirmwarePackageSink(_dir.Path, 1 << 20);
        sink.Write(0, new byte[1024], more: true);
        sink.Write(1024, new byte[1024], more: true);

        Assert.Equal(FirmwareBlockStatus.Gap, sink.Write(0, new byte[1500], more: false));
        Assert.False(sink.IsComplete);
    }

    [Fact]
    public void A_package_beyond_the_allowed_size_is_refused_as_too_large()
    {
        using var sink = new FirmwarePackageSink(_dir.Path, 1500);
        Assert.Equal(FirmwareBlockStatus.Stored, sink.Write(0, new byte[1024], more: true));
        Assert.Equal(FirmwareBlockStatus.TooLarge, sink.Write(1024, new byte[1024], more: true));
    }

    [Fact]
    public void A_new_sink_on_the_same_directory_resumes_after_the_stored_bytes()
    {
        byte[] image = Images.Random(3000, 6);
        using (var first = new FirmwarePackageSink(_dir.Path, 1 << 20))
        {
            first.Write(0, image.AsSpan(0, 1024), more: true);
            first.Write(1024, image.AsSpan(1024, 1024), more: true);
            first.Flush();
        }

        using var second = new FirmwarePackageSink(_dir.Path, 1 << 20);
        Assert.Equal(2048, second.Length);
        Assert.Equal(FirmwareBlockStatus.Complete, second.Write(2048, image.AsSpan(2048), more: false));
        Assert.Equal(image, File.ReadAllBytes(second.PackagePath));
    }

    [Fact]
    public void A_deleted_sink_removes_its_files_and_refuses_later_writes()
    {
        var sink = new FirmwarePackageSink(_dir.Path, 1 << 20);
        sink.Write(0, new byte[100], more: true);
        sink.Delete();

        Assert.False(File.Exists(sink.PartPath));
        Assert.Equal(FirmwareBlockStatus.StorageFailed, sink.Write(0, new byte[100], more: true));
    }
}
