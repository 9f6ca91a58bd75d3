using System.Text;
using Tern.Lwm2m.Client.Reporting;
using Tern.Lwm2m.Model;
using static Tern.Lwm2m.Client.Tests.Reporting.ReportingHarness;

namespace Tern.Lwm2m.Client.Tests.Reporting;

public sealed class TimeSeriesCacheFileTests : IDisposable
{
    private static readonly Lwm2mPath Counter = new(3303, 0, 5601);
    private static readonly Lwm2mPath Link = new(3303, 0, 5750, 2);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "tern-ts-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private static TimeSeriesCache Sample()
    {
        var cache = new TimeSeriesCache();
        cache.Enable(Temperature, 4);
        cache.Enable(Alarm, 2, OverflowPolicy.RefuseNew);
        cache.Enable(Counter, 3);
        cache.Enable(Link, 1);
        cache.Append(Temperature, Lwm2mValue.FromFloat(-12.25), At(1.5));
        cache.Append(Temperature, Lwm2mValue.FromFloat(double.MaxValue), At(2));
        cache.Append(Alarm, Lwm2mValue.FromBoolean(true), At(3));
        cache.Append(Counter, Lwm2mValue.FromInteger(long.MinValue), At(4));
        cache.Append(Counter, Lwm2mValue.FromUnsignedInteger(ulong.MaxValue), At(5));
        cache.Append(Counter, Lwm2mValue.FromUnixTime(1_700_000_000), At(6));
        cache.Append(Link, Lwm2mValue.FromObjectLink(new Lwm2mObjectLink(65534, 7)), At(7));
        return cache;
    }

    [Fact]
    public void A_saved_cache_loads_back_with_its_bounds_policies_entries_and_timestamps()
    {
        var file = new TimeSeriesCacheFile(_directory);
        TimeSeriesCache saved = Sample();

        file.Save(saved);
        TimeSeriesLoadResult loaded = file.Load();

        Assert.Equal(TimeSeriesLoadStatus.Loaded, loaded.Status);
        Assert.Null(loaded.Error);
        Assert.Equal(saved.Resources, loaded.Cache.Resources);
        Assert.Equal(saved.GetRecords(Lwm2mPath.Root), loaded.Cache.GetRecords(Lwm2mPath.Root));
        Assert.True(loaded.Cache.TryGetSettings(Alarm, out int capacity, out OverflowPolicy overflow));
        Assert.Equal((2, OverflowPolicy.RefuseNew), (capacity, overflow));
        Assert.False(File.Exists(file.FilePath + ".tmp"));
    }

    [Fact]
    public void A_loaded_cache_keeps_dropping_its_oldest_entries_at_the_saved_bound()
    {
        var file = new TimeSeriesCacheFile(_directory);
        file.Save(Sample());
        TimeSeriesCache cache = file.Load().Cache;

        cache.Append(Temperature, Lwm2mValue.FromFloat(3), At(10));
        cache.Append(Temperature, Lwm2mValue.FromFloat(4), At(11));
        cache.Append(Temperature, Lwm2mValue.FromFloat(5), At(12));

        Assert.Equal([double.MaxValue, 3, 4, 5], cache.GetRecords(Temperature).Select(r => r.Value!.Value.AsFloat()));
    }

    [Fact]
    public void A_reporter_built_on_a_loaded_cache_reports_the_entries_from_before_the_restart()
    {
        var file = new TimeSeriesCacheFile(_directory);
        file.Save(Sample());
        var h = new ReportingHarness(cache: file.Load().Cache);

        SendResult send = h.Reporter.RequestSend(Ssid, [Temperature], h.Now);

        Assert.Equal([At(1.5), At(2)], send.Action!.Records.Select(r => r.Timestamp!.Value));
    }

    [Fact]
    public void Saving_again_replaces_the_previous_file()
    {
        var file = new TimeSeriesCacheFile(_directory);
        file.Save(Sample());
        var empty = new TimeSeriesCache();
        empty.Enable(Temperature, 1);

        file.Save(empty);

        Assert.Equal([Temperature], file.Load().Cache.Resources);
    }

    [Fact]
    public void No_file_means_an_empty_cache()
    {
        TimeSeriesLoadResult result = new TimeSeriesCacheFile(_directory).Load();

        Assert.Equal(TimeSeriesLoadStatus.Missing, result.Status);
        Assert.True(result.Cache.IsEmpty);
    }

    [Theory]
    [InlineData("flip", "checksum")]
    [InlineData("truncate", "half-written")]
    [InlineData("header", "header")]
    [InlineData("empty", "header")]
    public void A_damaged_file_is_reported_and_not_used(string damage, string reason)
    {
        var file = new TimeSeriesCacheFile(_directory);
        file.Save(Sample());
        byte[] bytes = File.ReadAllBytes(file.FilePath);
        byte[] damaged = damage switch
        {
            "flip" => Flip(bytes, bytes.Length - 3),
            "truncate" => bytes[..^5],
            "header" => [.. Encoding.ASCII.GetBytes("TERN-TIMESERIES 9 x y\n"), .. bytes[(Array.IndexOf(bytes, (byte)'\n') + 1)..]],
            _ => [],
        };
        File.WriteAllBytes(file.FilePath, damaged);

        TimeSeriesLoadResult result = file.Load();

        Assert.Equal(TimeSeriesLoadStatus.Corrupted, result.Status);
        Assert.Contains(reason, result.Error, StringComparison.Ordinal);
        Assert.Contains(file.FilePath, result.Error, StringComparison.Ordinal);
        Assert.True(result.Cache.IsEmpty);
    }

    [Theory]
    [InlineData("resource count", new byte[] { 0xFF, 0xFF, 0xFF, 0x7F })]
    [InlineData("invalid path", new byte[] { 1, 0, 0, 0, 2, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0 })]
    [InlineData("bound or policy", new byte[] { 1, 0, 0, 0, 3, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 })]
    [InlineData("entry count", new byte[] { 1, 0, 0, 0, 3, 1, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 0, 9, 0, 0, 0 })]
    [InlineData("invalid value", new byte[] { 1, 0, 0, 0, 3, 1, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0 })]
    [InlineData("follow", new byte[] { 0, 0, 0, 0, 1 })]
    public void A_file_whose_checksum_holds_but_whose_content_is_invalid_is_reported(string reason, byte[] body)
    {
        var file = new TimeSeriesCacheFile(_directory);
        Directory.CreateDirectory(_directory);
        string header = $"TERN-TIMESERIES 1 {body.Length} {Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(body))}\n";
        File.WriteAllBytes(file.FilePath, [.. Encoding.ASCII.GetBytes(header), .. body]);

        TimeSeriesLoadResult result = file.Load();

        Assert.Equal(TimeSeriesLoadStatus.Corrupted, result.Status);
        Assert.Contains(reason, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Random_damage_with_a_matching_checksum_never_throws_and_never_loads_garbage_silently()
    {
        var file = new TimeSeriesCacheFile(_directory);
        file.Save(Sample());
        byte[] original = File.ReadAllBytes(file.FilePath);
        byte[] body = original[(Array.IndexOf(original, (byte)'\n') + 1)..];
        var random = new Random(20260301);
        for (int round = 0; round < 300; round++)
        {
            byte[] mutated = (byte[])body.Clone();
            int cut = random.Next(3) == 0 ? random.Next(mutated.Length) : mutated.Length;
            mutated = mutated[..cut];
            for (int k = random.Next(1, 4); k > 0 && mutated.Length > 0; k--)
            {
                mutated[random.Next(mutated.Length)] = (byte)random.Next(256);
            }

            string header = $"TERN-TIMESERIES 1 {mutated.Length} {Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(mutated))}\n";
            File.WriteAllBytes(file.FilePath, [.. Encoding.ASCII.GetBytes(header), .. mutated]);

            TimeSeriesLoadResult result = file.Load();

            Assert.True(result.Status is TimeSeriesLoadStatus.Loaded or TimeSeriesLoadStatus.Corrupted);
            Assert.Equal(result.Status == TimeSeriesLoadStatus.Corrupted, result.Error is not null);
        }
    }

    private static byte[] Flip(byte[] bytes, int index)
    {
        byte[] copy = (byte[])bytes.Clone();
        copy[index] ^= 0x40;
        return copy;
    }
}
