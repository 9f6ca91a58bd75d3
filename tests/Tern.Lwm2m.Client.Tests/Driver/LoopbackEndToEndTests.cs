using System.Net;
using Tern.Coap.Endpoint;
using Tern.Coap.Messages;
using Tern.Coap.Transport.Udp;
using Tern.Lwm2m.Client.Configuration;
using Tern.Lwm2m.Client.DataModel;
using Tern.Lwm2m.Client.DataModel.Objects;
using Tern.Lwm2m.Client.Engine;
using Tern.Lwm2m.Formats;
using Tern.Lwm2m.Model;
using Tern.Lwm2m.Server;
using Tern.Lwm2m.Server.Operations;

namespace Tern.Lwm2m.Client.Tests.Driver;

/// <summary>
/// The Tern server operating on a Tern client over real loopback UDP sockets, once for every downlink operation.
/// Nothing sleeps: each step awaits its own outcome, bounded only as a safety net against a hang.
/// </summary>
public sealed class LoopbackEndToEndTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private static Lwm2mPath P(string path) => Lwm2mPath.Parse(path);

    [Fact]
    public async Task Every_downlink_operation_reaches_a_Tern_client_over_loopback_udp()
    {
        var store = new Lwm2mObjectStore();
        _ = new Lwm2mDevice(store, TimeProvider.System) { Manufacturer = "Tern", BatteryLevel = 64 };
        var sensor = new Lwm2mTemperatureSensor(store) { Value = 20.0 };
        await using Lwm2mServer server = await Lwm2mServer.StartAsync(await UdpCoapTransport.BindAsync(new IPEndPoint(IPAddress.Loopback, 0)));
        await using CoapEndpoint clientEndpoint = await CoapEndpoint.StartAsync(await UdpCoapTransport.BindAsync(new IPEndPoint(IPAddress.Loopback, 0)));
        var configuration = new Lwm2mClientConfiguration(
            [new Lwm2mSecurityInstance(0, $"coap://{server.LocalEndPoint}", false, Lwm2mSecurityMode.NoSec) { ShortServerId = 7 }],
            [new Lwm2mServerInstance(0, 7, TimeSpan.FromSeconds(300))]);
        await using var client = new Lwm2mClient(configuration, new Lwm2mClientOptions("udp-node"), clientEndpoint, store);
        var registered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var updatedWithNewInstance = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        server.Registered += (_, _) => registered.TrySetResult();
        server.Updated += (_, e) =>
        {
            if (e.Registration.ObjectLinks.Any(l => l.Target == "/3303/1"))
            {
                updatedWithNewInstance.TrySetResult();
            }
        };
        await client.StartAsync();
        await registered.Task.WaitAsync(Bound);

        ReadResult read = await server.ReadAsync("udp-node", P("/3/0"), timeout: Bound);
        Assert.True(read.IsSuccess, read.ToString());
        Assert.Contains(Assert.IsType<Lwm2mObjectInstance>(read.Node).Resources, r => r.Id == 9);

        Lwm2mResult write = await server.WriteAsync("udp-node", P("/3/0/15"), new Lwm2mSingleResource(15, Lwm2mValue.FromString("UTC")), timeout: Bound);
        Assert.True(write.IsSuccess, write.ToString());
        Assert.Equal("UTC", store.GetValue(P("/3/0/15")).AsString());

        Lwm2mResult execute = await server.ExecuteAsync("udp-node", P("/3/0/4"), timeout: Bound);
        Assert.True(execute.IsSuccess, execute.ToString());

        Lwm2mResult attributes = await server.WriteAttributesAsync("udp-node", P("/3303/0/5700"), new Tern.Lwm2m.Formats.LinkFormat.Lwm2mAttributes { MaximumPeriod = 60 }, timeout: Bound);
        Assert.True(attributes.IsSuccess, attributes.ToString());
        DiscoverResult discover = await server.DiscoverAsync("udp-node", P("/3303/0"), timeout: Bound);
        Assert.Equal("60", Assert.Single(discover.Links, l => l.Target == "/3303/0/5700")["pmax"]);

        Lwm2mResult create = await server.CreateAsync("udp-node", P("/3303"), new Lwm2mObjectInstance(1, [new Lwm2mSingleResource(5700, Lwm2mValue.FromFloat(18.5))]), timeout: Bound);
        Assert.True(create.IsSuccess, create.ToString());
        await updatedWithNewInstance.Task.WaitAsync(Bound);

        Lwm2mResult writeComposite = await server.WriteCompositeAsync("udp-node",
            [new Lwm2mRecord(P("/3303/1/5750"), Lwm2mValue.FromString("greenhouse")), new Lwm2mRecord(P("/3/0/15"), Lwm2mValue.FromString("Europe/Paris"))], timeout: Bound);
        Assert.True(writeComposite.IsSuccess, writeComposite.ToString());
        CompositeReadResult readComposite = await server.ReadCompositeAsync("udp-node", [P("/3303/1/5700"), P("/3303/1/5750"), P("/3/0/15")], timeout: Bound);
        Assert.True(readComposite.IsSuccess, readComposite.ToString());
        Assert.Equal(18.5, readComposite.Records.Single(r => r.Path == P("/3303/1/5700")).Value!.Value.AsFloat());
        Assert.Equal("greenhouse", readComposite.Records.Single(r => r.Path == P("/3303/1/5750")).Value!.Value.AsString());
        Assert.Equal("Europe/Paris", readComposite.Records.Single(r => r.Path == P("/3/0/15")).Value!.Value.AsString());

        // Observe: a value the application sets reaches the server as a notification.
        var notified = new TaskCompletionSource<Lwm2mNode?>(TaskCreationOptions.RunContinuationsAsynchronously);
        server.NotificationReceived += (_, e) => notified.TrySetResult(e.Node);
        ObserveResult observe = await server.ObserveAsync("udp-node", P("/3303/0/5700"), timeout: Bound);
        Assert.True(observe.IsSuccess, observe.ToString());
        sensor.Value = 23.5;
        Assert.Equal(23.5, Assert.IsType<Lwm2mSingleResource>(await notified.Task.WaitAsync(Bound)).Value.AsFloat());

        Lwm2mResult delete = await server.DeleteAsync("udp-node", P("/3303/1"), timeout: Bound);
        Assert.True(delete.IsSuccess, delete.ToString());
        Assert.False(store.Exists(P("/3303/1")));
        ReadResult gone = await server.ReadAsync("udp-node", P("/3303/1"), timeout: Bound);
        Assert.Equal(CoapCode.NotFound, gone.Code);

        await client.StopAsync(deregister: true, new CancellationTokenSource(Bound).Token);
        Assert.Null(await server.GetRegistrationAsync("udp-node"));
        Assert.Equal(Lwm2mClientState.Initial, client.State);
    }
}
