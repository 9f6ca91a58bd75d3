using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Tern.Coap.Endpoint;
using Tern.Coap.Engine;
using Tern.Coap.Messages;
using Tern.Coap.Transport.Udp;
using Tern.Lwm2m.Client.Configuration;
using Tern.Lwm2m.Client.DataModel;
using Tern.Lwm2m.Client.Engine;
using Tern.Lwm2m.Client.Firmware;
using Tern.Lwm2m.Client.Hosting;
using Tern.Lwm2m.Client.Tests.Firmware;
using Tern.Lwm2m.Formats;
using Tern.Lwm2m.Model;
using Tern.Lwm2m.Server;
using Tern.Lwm2m.Server.Operations;

namespace Tern.Lwm2m.Client.Tests.Hosting;

/// <summary>
/// A hosted client whose data model serves object 5 streams pushed packages without the application setting the
/// endpoint's Block1 filter itself; a filter the application did set is kept. Real loopback sockets; the bounds are
/// safety nets against a hang, not a pace.
/// </summary>
public sealed class TernClientHostingFirmwareTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private sealed class NoServices : IServiceProvider
    {
        public object? GetService(Type serviceType) => null;
    }

    private static async Task<TernClientHostedService> StartHostedAsync(Lwm2mServer server, string endpoint, Lwm2mObjectStore store, CoapEndpointOptions? coap)
    {
        var services = new ServiceCollection().AddTernClient(o =>
        {
            o.LocalEndPoint = new IPEndPoint(IPAddress.Loopback, 0);
            o.Client = new Lwm2mClientOptions(endpoint);
            o.Store = store;
            o.Coap = coap;
            o.Configuration = new Lwm2mClientConfiguration(
                [new Lwm2mSecurityInstance(0, $"coap://{server.LocalEndPoint}", false, Lwm2mSecurityMode.NoSec) { ShortServerId = 1 }],
                [new Lwm2mServerInstance(0, 1, TimeSpan.FromSeconds(300))]);
        });
        var hosted = (TernClientHostedService)Assert.Single(services, d => d.ServiceType == typeof(IHostedService)).ImplementationFactory!(new NoServices());
        await hosted.StartAsync(CancellationToken.None);
        while (await hosted.Client!.Events.ReadAsync().AsTask().WaitAsync(Bound) is not Lwm2mRegistered)
        {
        }

        return hosted;
    }

    private static Task<Lwm2mResult> PushAsync(Lwm2mServer server, string endpoint, byte[] image) =>
        server.WriteAsync(endpoint, Lwm2mPath.Parse("/5/0/0"), new Lwm2mSingleResource(0, Lwm2mValue.FromOpaque(image)), format: Lwm2mContentFormat.Opaque, timeout: Bound);

    [Fact]
    public async Task A_hosted_client_serving_object_5_streams_a_pushed_package_larger_than_its_max_body_size()
    {
        // Four times the 16 KiB the application allows a reassembled body: only a streamed push gets it through.
        byte[] image = Images.Random(64 * 1024, 60);
        await using Lwm2mServer server = await Lwm2mServer.StartAsync(await UdpCoapTransport.BindAsync(new IPEndPoint(IPAddress.Loopback, 0)));
        await using FirmwareUpdate firmware = FirmwareUpdate.Open(new FirmwareUpdateOptions(_dir.Path) { Downloaders = [] });
        var store = new Lwm2mObjectStore();
        store.AddFirmwareUpdate(firmware);
        TernClientHostedService hosted = await StartHostedAsync(server, "hosted-fw", store, new CoapEndpointOptions { Engine = new CoapEngineOptions { MaxBodySize = 16 * 1024 } });

        Lwm2mResult pushed = await PushAsync(server, "hosted-fw", image);
        await firmware.WhenIdleAsync().WaitAsync(Bound);
        await hosted.StopAsync(new CancellationTokenSource(Bound).Token);

        Assert.True(pushed.IsSuccess, pushed.ToString());
        Assert.Equal(FirmwareUpdateState.Downloaded, firmware.State);
        Assert.Equal(image, File.ReadAllBytes(firmware.PackagePath!));
    }

    [Fact]
    public async Task A_block1_filter_the_application_set_is_kept_by_a_hosted_client_serving_object_5()
    {
        byte[] image = Images.Random(3 * 1024, 61);
        var asked = new List<string>();
        Func<CoapMessage, bool> own = request =>
        {
            lock (asked)
            {
                asked.Add(request.UriPath);
            }

            return false;
        };
        await using Lwm2mServer server = await Lwm2mServer.StartAsync(await UdpCoapTransport.BindAsync(new IPEndPoint(IPAddress.Loopback, 0)));
        await using FirmwareUpdate firmware = FirmwareUpdate.Open(new FirmwareUpdateOptions(_dir.Path) { Downloaders = [] });
        var store = new Lwm2mObjectStore();
        store.AddFirmwareUpdate(firmware);
        TernClientHostedService hosted = await StartHostedAsync(server, "hosted-own", store, new CoapEndpointOptions { Engine = new CoapEngineOptions { PassBlock1Through = own } });

        Lwm2mResult pushed = await PushAsync(server, "hosted-own", image);
        await firmware.WhenIdleAsync().WaitAsync(Bound);
        await hosted.StopAsync(new CancellationTokenSource(Bound).Token);

        // The application's filter was asked about the package's blocks (and said no, so the endpoint reassembled them).
        Assert.True(pushed.IsSuccess, pushed.ToString());
        Assert.Contains("/5/0/0", asked);
        Assert.Equal(image, File.ReadAllBytes(firmware.PackagePath!));
    }
}
