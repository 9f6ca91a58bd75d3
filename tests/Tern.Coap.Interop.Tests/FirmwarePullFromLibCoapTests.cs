using Tern.Coap.Interop.Tests.Harness;
using Tern.Lwm2m.Client.Engine;
using Tern.Lwm2m.Client.Firmware;
using Tern.Lwm2m.Model;

namespace Tern.Coap.Interop.Tests;

/// <summary>
/// Object 5's pull against libcoap's <c>coap-server-notls</c>: the image is PUT to it with <c>coap-client-notls</c>
/// first (libcoap creates the resource, <c>-d</c>), then Tern pulls it block by block over real loopback UDP.
/// </summary>
public sealed class FirmwarePullFromLibCoapTests : IAsyncLifetime
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);
    private readonly string _scratch = Directory.CreateTempSubdirectory("tern-fw-interop-").FullName;
    private LibCoapServer _server = null!;

    public async Task InitializeAsync() => _server = await LibCoapServer.StartAsync("-d", "10");

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_scratch, recursive: true);
    }

    [Fact]
    public async Task Firmware_pulled_from_libcoap_arrives_whole_and_verified()
    {
        byte[] image = new byte[150_000];
        new Random(42).NextBytes(image);
        string file = Path.Combine(_scratch, "image.bin");
        await File.WriteAllBytesAsync(file, image);
        string uri = $"coap://127.0.0.1:{_server.EndPoint.Port}/firmware.bin";
        ToolResult put = await LibCoapClient.RunAsync(uri, TimeSpan.FromSeconds(20), "-m", "put", "-b", "1024", "-f", file);
        Assert.True(put.ExitCode == 0 && !put.TimedOut, $"the PUT to libcoap failed: {put}\n{_server.Output}");

        var events = new List<Lwm2mClientEvent>();
        await using FirmwareUpdate fw = FirmwareUpdate.Open(new FirmwareUpdateOptions(Path.Combine(_scratch, "state"))
        {
            Verifier = new Crc32FirmwareVerifier(Crc32.Compute(image)),
            Events = e => { lock (events) { events.Add(e); } },
        });

        Assert.Equal(FirmwareOperationStatus.Changed, fw.WritePackageUri(uri));
        await fw.WhenIdleAsync().WaitAsync(Limit);

        string flow;
        lock (events)
        {
            flow = string.Join(", ", events.Select(e => e.ToString()));
        }

        Assert.True(fw.State == FirmwareUpdateState.Downloaded, $"{fw.State} / {fw.Result}: {flow}\n{_server.Output}");
        Assert.Equal(image, await File.ReadAllBytesAsync(fw.PackagePath!));
    }
}
