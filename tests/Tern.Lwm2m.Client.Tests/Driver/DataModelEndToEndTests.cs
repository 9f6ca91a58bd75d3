using Tern.Coap.Endpoint;
using Tern.Coap.Messages;
using Tern.Lwm2m.Client.DataModel.Objects;
using Tern.Lwm2m.Client.Engine;
using Tern.Lwm2m.Formats;
using Tern.Lwm2m.Formats.LinkFormat;
using Tern.Lwm2m.Model;
using Tern.Lwm2m.Server.Operations;

namespace Tern.Lwm2m.Client.Tests.Driver;

/// <summary>The Tern server operating on a registered Tern client over the virtual network.</summary>
public class DataModelEndToEndTests
{
    private static Lwm2mPath P(string path) => Lwm2mPath.Parse(path);

    [Fact]
    public async Task Tern_server_reads_writes_executes_and_creates_on_a_registered_Tern_client()
    {
        Lwm2mDevice device = null!;
        Lwm2mTemperatureSensor sensor = null!;
        await using var f = await ServedClientFixture.StartAsync((store, clock) =>
        {
            device = new Lwm2mDevice(store, clock) { Manufacturer = "Tern", ModelNumber = "T-1", BatteryLevel = 87 };
            sensor = new Lwm2mTemperatureSensor(store) { Value = 21.5 };
        }, TimeSpan.FromSeconds(300));
        var reboots = 0;
        device.RebootRequested += (_, _) => reboots++;
        await f.Client.StartAsync();
        Assert.True(await f.RunUntilAsync(() => f.Client.State == Lwm2mClientState.RegistrationSession, TimeSpan.FromMinutes(1)));
        var registration = (await f.Server.GetRegistrationAsync("node-1"))!;
        Assert.Contains(registration.ObjectLinks, l => l.Target == "/3303/0");
        Assert.Contains(registration.ObjectLinks, l => l.Target == "/1/0");
        Assert.DoesNotContain(registration.ObjectLinks, l => l.Target.StartsWith("/0", StringComparison.Ordinal));

        // Read: an instance in the negotiated format, and one resource as text.
        ReadResult read = await f.RunAsync(f.Server.ReadAsync("node-1", P("/3/0")));
        Assert.True(read.IsSuccess, read.ToString());
        var deviceNode = Assert.IsType<Lwm2mObjectInstance>(read.Node);
        Assert.Equal("Tern", Assert.IsType<Lwm2mSingleResource>(deviceNode.Resources.Single(r => r.Id == 0)).Value.AsString());
        ReadResult battery = await f.RunAsync(f.Server.ReadAsync("node-1", P("/3/0/9"), Lwm2mContentFormat.Text));
        Assert.Equal(87, Assert.IsType<Lwm2mSingleResource>(battery.Node).Value.AsInteger());

        // Write: the client's store and typed view see the new value.
        Lwm2mResult write = await f.RunAsync(f.Server.WriteAsync("node-1", P("/3/0/15"), new Lwm2mSingleResource(15, Lwm2mValue.FromString("Europe/Oslo"))));
        Assert.True(write.IsSuccess, write.ToString());
        Assert.Equal("Europe/Oslo", device.Timezone);

        // Write to a read-only resource is refused with 4.05.
        Lwm2mResult refused = await f.RunAsync(f.Server.WriteAsync("node-1", P("/3/0/9"), new Lwm2mSingleResource(9, Lwm2mValue.FromInteger(5))));
        Assert.Equal(CoapCode.MethodNotAllowed, refused.Code);

        // Execute: Reboot reaches the application.
        Lwm2mResult reboot = await f.RunAsync(f.Server.ExecuteAsync("node-1", P("/3/0/4")));
        Assert.True(reboot.IsSuccess, reboot.ToString());
        Assert.Equal(1, reboots);

        // Discover and Write-Attributes.
        Lwm2mResult attributes = await f.RunAsync(f.Server.WriteAttributesAsync("node-1", P("/3303/0/5700"), new Lwm2mAttributes { MinimumPeriod = 10, Step = 0.5 }));
        Assert.True(attributes.IsSuccess, attributes.ToString());
        DiscoverResult discover = await f.RunAsync(f.Server.DiscoverAsync("node-1", P("/3303/0")));
        CoreLink value = Assert.Single(discover.Links, l => l.Target == "/3303/0/5700");
        Assert.Equal("10", value["pmin"]);
        Assert.Equal(10, f.Client.Reporter!.Attributes(101).Get(P("/3303/0/5700"))!.MinimumPeriod);

        // Create: a second sensor instance; the client advertises it in an Update.
        var created = new Lwm2mObjectInstance(1, [new Lwm2mSingleResource(5700, Lwm2mValue.FromFloat(19.0))]);
        Lwm2mResult create = await f.RunAsync(f.Server.CreateAsync("node-1", P("/3303"), created));
        Assert.True(create.IsSuccess, create.ToString());
        Assert.Equal(19.0, f.Store.GetValue(P("/3303/1/5700")).AsFloat());
        Assert.True(await f.RunUntilAsync(
            () => f.Server.GetRegistrationAsync("node-1").AsTask().Result?.ObjectLinks.Any(l => l.Target == "/3303/1") == true,
            TimeSpan.FromMinutes(1)));

        // Read-Composite across objects.
        CompositeReadResult composite = await f.RunAsync(f.Server.ReadCompositeAsync("node-1", [P("/3/0/0"), P("/3303/1/5700")]));
        Assert.True(composite.IsSuccess, composite.ToString());
        Assert.Equal(["/3/0/0", "/3303/1/5700"], composite.Records.Select(r => r.Path.ToString()).Order(StringComparer.Ordinal));

        // Write-Composite across objects, then Delete of the created instance (advertised away in an Update).
        Lwm2mResult writeComposite = await f.RunAsync(f.Server.WriteCompositeAsync("node-1",
            [new Lwm2mRecord(P("/3303/1/5750"), Lwm2mValue.FromString("cellar")), new Lwm2mRecord(P("/3/0/15"), Lwm2mValue.FromString("Europe/Rome"))]));
        Assert.True(writeComposite.IsSuccess, writeComposite.ToString());
        Assert.Equal("cellar", f.Store.GetValue(P("/3303/1/5750")).AsString());
        Assert.Equal("Europe/Rome", device.Timezone);
        Lwm2mResult delete = await f.RunAsync(f.Server.DeleteAsync("node-1", P("/3303/1")));
        Assert.True(delete.IsSuccess, delete.ToString());
        Assert.False(f.Store.Exists(P("/3303/1")));
        Assert.True(await f.RunUntilAsync(
            () => f.Server.GetRegistrationAsync("node-1").AsTask().Result?.ObjectLinks.Any(l => l.Target == "/3303/1") == false,
            TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public async Task Server_object_executes_and_lifetime_writes_reach_the_registration_engine()
    {
        await using var f = await ServedClientFixture.StartAsync((_, _) => { }, TimeSpan.FromSeconds(3600));
        await f.Client.StartAsync();
        Assert.True(await f.RunUntilAsync(() => f.Client.State == Lwm2mClientState.RegistrationSession, TimeSpan.FromMinutes(1)));
        var updated = new List<TimeSpan>();
        f.Server.Updated += (_, e) => updated.Add(e.Registration.Lifetime);

        // Registration Update Trigger: an Update goes out (after the 15 s flood guard at most), long before half the lifetime.
        Lwm2mResult trigger = await f.RunAsync(f.Server.ExecuteAsync("node-1", P("/1/0/8")));
        Assert.True(trigger.IsSuccess, trigger.ToString());
        Assert.True(await f.RunUntilAsync(() => updated.Count >= 1, TimeSpan.FromMinutes(1)));

        // A new lifetime written to /1/0/1 is announced in an Update at once.
        Lwm2mResult lifetime = await f.RunAsync(f.Server.WriteAsync("node-1", P("/1/0/1"), new Lwm2mSingleResource(1, Lwm2mValue.FromInteger(120))));
        Assert.True(lifetime.IsSuccess, lifetime.ToString());
        Assert.True(await f.RunUntilAsync(() => updated.Contains(TimeSpan.FromSeconds(120)), TimeSpan.FromMinutes(1)));

        // Disable: the client deregisters and suspends.
        Lwm2mResult disable = await f.RunAsync(f.Server.ExecuteAsync("node-1", P("/1/0/4")));
        Assert.True(disable.IsSuccess, disable.ToString());
        Assert.True(await f.RunUntilAsync(() => f.Client.State == Lwm2mClientState.Suspended, TimeSpan.FromMinutes(1)));
        Assert.Null(await f.Server.GetRegistrationAsync("node-1"));
    }

    [Fact]
    public async Task A_request_from_an_address_that_is_not_the_server_is_refused_with_4_01()
    {
        await using var f = await ServedClientFixture.StartAsync((store, clock) => _ = new Lwm2mDevice(store, clock), TimeSpan.FromSeconds(300));
        await f.Client.StartAsync();
        Assert.True(await f.RunUntilAsync(() => f.Client.State == Lwm2mClientState.RegistrationSession, TimeSpan.FromMinutes(1)));
        await using CoapEndpoint stranger = await CoapEndpoint.StartAsync(f.Network.CreateTransport(), new CoapEndpointOptions { Random = new Random(9) }, f.Clock);
        using IDisposable idle = f.Network.AddIdleCheck(() => stranger.IsIdle);

        var request = new CoapMessage { Code = CoapCode.Get, Type = CoapMessageType.Confirmable }.SetUriPath("/3/0/0");
        CoapResponse response = await f.RunAsync(stranger.SendAsync(f.ClientEndpoint.LocalEndPoint, request));

        Assert.Equal(CoapCode.Unauthorized, response.Code);
    }
}
