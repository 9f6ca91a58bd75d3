using Tern.Lwm2m.Client.Configuration;

namespace Tern.Lwm2m.Client.Tests.Configuration;

public sealed class Lwm2mStateStoreTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "tern-state-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private static Lwm2mClientConfiguration Sample() => new(
        [new Lwm2mSecurityInstance(0, "coaps://bs:5684", true, Lwm2mSecurityMode.PreSharedKey) { PublicKeyOrIdentity = "id"u8.ToArray(), SecretKey = new byte[] { 1, 2, 3 } },
         new Lwm2mSecurityInstance(1, "coap://dm:5683", false, Lwm2mSecurityMode.NoSec) { ShortServerId = 4 }],
        [new Lwm2mServerInstance(0, 4, TimeSpan.FromSeconds(600), "UQ") { CommunicationRetryCount = 2, SequenceDelayTimer = TimeSpan.FromSeconds(77), BootstrapOnRegistrationFailure = false, DefaultMaxPeriod = TimeSpan.FromSeconds(30) }]);

    [Fact]
    public void A_missing_state_file_is_reported_as_missing()
    {
        Assert.Equal(Lwm2mStateStatus.Missing, new Lwm2mStateStore(_directory).Load().Status);
    }

    [Fact]
    public void Saved_security_and_server_instances_load_back_equal()
    {
        var store = new Lwm2mStateStore(_directory);
        store.Save(Sample());
        var loaded = store.Load();

        Assert.Equal(Lwm2mStateStatus.Loaded, loaded.Status);
        var expected = Sample();
        Assert.Equal(expected.Servers, loaded.Configuration!.Servers);
        Assert.Equal(expected.Securities.Select(s => (s.InstanceId, s.ServerUri, s.IsBootstrapServer, s.SecurityMode, s.ShortServerId)),
            loaded.Configuration.Securities.Select(s => (s.InstanceId, s.ServerUri, s.IsBootstrapServer, s.SecurityMode, s.ShortServerId)));
        Assert.Equal(new byte[] { 1, 2, 3 }, loaded.Configuration.Securities[0].SecretKey.ToArray());
        Assert.False(File.Exists(store.FilePath + ".tmp"));
    }

    [Fact]
    public void A_truncated_file_is_reported_as_half_written()
    {
        var store = new Lwm2mStateStore(_directory);
        store.Save(Sample());
        var bytes = File.ReadAllBytes(store.FilePath);
        File.WriteAllBytes(store.FilePath, bytes[..^10]);

        var loaded = store.Load();
        Assert.Equal(Lwm2mStateStatus.Corrupted, loaded.Status);
        Assert.Null(loaded.Configuration);
        Assert.Contains("half-written", loaded.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_flipped_byte_fails_the_checksum()
    {
        var store = new Lwm2mStateStore(_directory);
        store.Save(Sample());
        var bytes = File.ReadAllBytes(store.FilePath);
        bytes[^5] ^= 0x01;
        File.WriteAllBytes(store.FilePath, bytes);

        var loaded = store.Load();
        Assert.Equal(Lwm2mStateStatus.Corrupted, loaded.Status);
        Assert.Contains("checksum", loaded.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Random_garbage_is_never_used_and_never_throws()
    {
        var store = new Lwm2mStateStore(_directory);
        Directory.CreateDirectory(_directory);
        var random = new Random(11);
        for (var i = 0; i < 200; i++)
        {
            var bytes = new byte[random.Next(0, 300)];
            random.NextBytes(bytes);
            File.WriteAllBytes(store.FilePath, bytes);
            Assert.Equal(Lwm2mStateStatus.Corrupted, store.Load().Status);
        }
    }

    [Fact]
    public void Saving_again_replaces_the_previous_state()
    {
        var store = new Lwm2mStateStore(_directory);
        store.Save(Sample());
        var changed = new Lwm2mClientConfiguration(Sample().Securities, [Sample().Servers[0] with { Lifetime = TimeSpan.FromSeconds(30) }]);
        store.Save(changed);
        Assert.Equal(TimeSpan.FromSeconds(30), store.Load().Configuration!.Servers[0].Lifetime);
    }
}
