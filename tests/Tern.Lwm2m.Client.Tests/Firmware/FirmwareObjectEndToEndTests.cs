using Tern.Coap.Endpoint;
using Tern.Coap.Engine;
using Tern.Coap.Messages;
using Tern.Lwm2m.Client.Firmware;
using Tern.Lwm2m.Client.Tests.Driver;
using Tern.Lwm2m.Formats;
using Tern.Lwm2m.Model;
using Tern.Lwm2m.Server.Operations;

namespace Tern.Lwm2m.Client.Tests.Firmware;

/// <summary>Object 5 served from the client's store (<see cref="Lwm2mFirmwareObject.AddFirmwareUpdate"/>) to a Tern LwM2M server.</summary>
public sealed class FirmwareObjectEndToEndTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly EventLog _events = new();

    public void Dispose() => _dir.Dispose();

    private static Lwm2mPath P(string text) => Lwm2mPath.Parse(text);

    private sealed class RecordingInstaller : IFirmwareInstaller
    {
        public List<byte[]> Installed { get; } = [];

        public ValueTask<FirmwareInstallOutcome> InstallAsync(string packagePath, CancellationToken cancellationToken)
        {
            Installed.Add(File.ReadAllBytes(packagePath));
            return ValueTask.FromResult(FirmwareInstallOutcome.Installed);
        }
    }

    private async Task<(ServedClientFixture Fixture, FirmwareUpdate Firmware)> StartAsync(IFirmwareVerifier verifier, IFirmwareInstaller? installer = null,
        IFirmwareDownloader[]? downloaders = null)
    {
        FirmwareUpdate? firmware = null;
        Lwm2mClient? client = null;
        var f = await ServedClientFixture.StartAsync((store, clock) =>
        {
            firmware = FirmwareUpdate.Open(new FirmwareUpdateOptions(_dir.Path) { Verifier = verifier, Installer = installer, Events = e => { _events.Add(e); client?.ReportEvent(e); }, Downloaders = downloaders ?? [] }, clock);
            store.AddFirmwareUpdate(firmware);
        }, TimeSpan.FromSeconds(300));
        client = f.Client;
        await f.Client.StartAsync();
        Assert.True(await f.RunUntilAsync(() => f.Client.State == Tern.Lwm2m.Client.Engine.Lwm2mClientState.RegistrationSession, TimeSpan.FromSeconds(60)));
        return (f, firmware!);
    }

    private static async Task<long> ReadIntegerAsync(ServedClientFixture f, string path)
    {
        ReadResult read = await f.RunAsync(f.Server.ReadAsync("node-1", P(path), Lwm2mContentFormat.Text));
        return Assert.IsType<Lwm2mSingleResource>(read.Node).Value.AsInteger();
    }

    [Fact]
    public async Task Server_pushes_a_package_block_wise_executes_update_and_reads_update_result_1()
    {
        byte[] image = Images.Random(5000, 21);
        var installer = new RecordingInstaller();
        var (f, firmware) = await StartAsync(new Crc32FirmwareVerifier(Crc32.Compute(image)), installer);
        await using (f)
        await using (firmware)
        {
            Lwm2mResult write = await f.RunAsync(f.Server.WriteAsync("node-1", P("/5/0/0"), new Lwm2mSingleResource(0, Lwm2mValue.FromOpaque(image))));
            Assert.True(write.IsSuccess, write.Diagnostic);

            // The package went over in Block1 blocks (no datagram carries it whole); the client's endpoint reassembled it.
            var toClient = f.Network.Capture.Where(d => d.To == f.ClientEndpoint.LocalEndPoint && !d.Dropped).ToList();
            Assert.All(toClient, d => Assert.True(d.Bytes.Length < image.Length));
            Assert.True(toClient.Count(d => d.Bytes.Length > 500) >= 4);
            await firmware.WhenIdleAsync();
            Assert.Equal(2L, await ReadIntegerAsync(f, "/5/0/3")); // Downloaded

            Lwm2mResult execute = await f.RunAsync(f.Server.ExecuteAsync("node-1", P("/5/0/2")));
            Assert.True(execute.IsSuccess, execute.Diagnostic);
            await firmware.WhenIdleAsync();

            Assert.Equal(image, Assert.Single(installer.Installed));
            Assert.Equal(1L, await ReadIntegerAsync(f, "/5/0/5"));
            Assert.Equal(0L, await ReadIntegerAsync(f, "/5/0/3"));

            // The firmware update's events reach the client's event stream.
            Assert.True(await f.RunUntilAsync(() => f.Events.OfType<FirmwareUpdateStarted>().Any() && f.Events.OfType<FirmwareDownloaded>().Any(), TimeSpan.FromSeconds(5)));
            Assert.Equal(_events.Flow.Count(n => n == nameof(FirmwareDownloaded)), f.Events.OfType<FirmwareDownloaded>().Count());
        }
    }

    [Fact]
    public async Task A_pushed_package_failing_its_crc_leaves_update_result_5_and_nothing_installed()
    {
        byte[] image = Images.Random(3000, 22);
        var installer = new RecordingInstaller();
        var (f, firmware) = await StartAsync(new Crc32FirmwareVerifier(Crc32.Compute(image) ^ 1), installer);
        await using (f)
        await using (firmware)
        {
            await f.RunAsync(f.Server.WriteAsync("node-1", P("/5/0/0"), new Lwm2mSingleResource(0, Lwm2mValue.FromOpaque(image))));
            await firmware.WhenIdleAsync();

            Assert.Equal(5L, await ReadIntegerAsync(f, "/5/0/5"));
            Assert.Equal(0L, await ReadIntegerAsync(f, "/5/0/3"));
            Lwm2mResult execute = await f.RunAsync(f.Server.ExecuteAsync("node-1", P("/5/0/2")));
            Assert.False(execute.IsSuccess);
            Assert.Empty(installer.Installed);
        }
    }

    [Fact]
    public async Task Server_writes_a_coap_package_uri_and_the_client_pulls_verifies_and_installs_it()
    {
        byte[] image = Images.Random(6000, 23);
        var installer = new RecordingInstaller();
        CoapEndpoint? files = null;
        CoapEndpoint? fetcher = null;
        var downloader = new CoapFirmwareDownloader((_, _) => ValueTask.FromResult(new CoapFirmwareConnection(fetcher!, files!.LocalEndPoint, OwnsEndpoint: false)));
        var (f, firmware) = await StartAsync(new Crc32FirmwareVerifier(Crc32.Compute(image)), installer, [downloader]);
        var resources = new CoapResourceServer().Map("/fw/image.bin", new CoapResource { Get = (_, _) => ValueTask.FromResult(new CoapResponse(CoapCode.Content, image)) });
        files = await CoapEndpoint.StartAsync(f.Network.CreateTransport(), new CoapEndpointOptions { Handler = resources, Random = new Random(31) }, f.Clock);
        fetcher = await CoapEndpoint.StartAsync(f.Network.CreateTransport(), new CoapEndpointOptions { Random = new Random(32), Engine = new CoapEngineOptions { FollowBlock2 = false } }, f.Clock);
        using var idle = f.Network.AddIdleCheck(() => files.IsIdle && fetcher.IsIdle && firmware.IsIdle);
        await using (f)
        await using (firmware)
        await using (files)
        await using (fetcher)
        {
            string uri = $"coap://{files.LocalEndPoint}/fw/image.bin";
            Lwm2mResult write = await f.RunAsync(f.Server.WriteAsync("node-1", P("/5/0/1"), new Lwm2mSingleResource(1, Lwm2mValue.FromString(uri))));
            Assert.True(write.IsSuccess, write.Diagnostic);
            Assert.True(await f.RunUntilAsync(() => firmware.State == FirmwareUpdateState.Downloaded, TimeSpan.FromSeconds(120)));
            Assert.Equal(2L, await ReadIntegerAsync(f, "/5/0/3"));

            await f.RunAsync(f.Server.ExecuteAsync("node-1", P("/5/0/2")));
            await firmware.WhenIdleAsync();
            Assert.Equal(image, Assert.Single(installer.Installed));
            Assert.Equal(1L, await ReadIntegerAsync(f, "/5/0/5"));
            ReadResult readUri = await f.RunAsync(f.Server.ReadAsync("node-1", P("/5/0/1"), Lwm2mContentFormat.Text));
            Assert.Equal(uri, Assert.IsType<Lwm2mSingleResource>(readUri.Node).Value.AsString());
        }
    }
}
