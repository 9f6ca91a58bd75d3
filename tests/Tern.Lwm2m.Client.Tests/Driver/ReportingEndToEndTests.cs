using Tern.Lwm2m.Client.DataModel.Objects;
using Tern.Lwm2m.Client.Engine;
using Tern.Lwm2m.Client.Reporting;
using ObserveResult = Tern.Lwm2m.Server.Operations.ObserveResult;
using Tern.Lwm2m.Formats.LinkFormat;
using Tern.Lwm2m.Model;
using Tern.Lwm2m.Server;
using Tern.Lwm2m.Server.Operations;

namespace Tern.Lwm2m.Client.Tests.Driver;

/// <summary>The reporter wired into the running client, driven by the Tern server over the virtual network and clock.</summary>
public class ReportingEndToEndTests
{
    private static Lwm2mPath P(string path) => Lwm2mPath.Parse(path);

    private static async Task<(ServedClientFixture Fixture, Lwm2mDevice Device, Lwm2mTemperatureSensor Sensor)> RegisteredAsync()
    {
        Lwm2mDevice device = null!;
        Lwm2mTemperatureSensor sensor = null!;
        ServedClientFixture f = await ServedClientFixture.StartAsync((store, clock) =>
        {
            device = new Lwm2mDevice(store, clock) { Manufacturer = "Tern", BatteryLevel = 87 };
            sensor = new Lwm2mTemperatureSensor(store) { Value = 21.5 };
        }, TimeSpan.FromSeconds(3600));
        await f.Client.StartAsync();
        Assert.True(await f.RunUntilAsync(() => f.Client.State == Lwm2mClientState.RegistrationSession, TimeSpan.FromMinutes(1)));
        return (f, device, sensor);
    }

    private static List<Lwm2mNotificationEventArgs> Collect(Lwm2mServer server)
    {
        var received = new List<Lwm2mNotificationEventArgs>();
        server.NotificationReceived += (_, e) =>
        {
            lock (received)
            {
                received.Add(e);
            }
        };
        return received;
    }

    private static double Temperature(Lwm2mNotificationEventArgs e) => Assert.IsType<Lwm2mSingleResource>(e.Node).Value.AsFloat();

    [Fact]
    public async Task A_value_set_by_the_application_reaches_the_observing_server_as_a_notification()
    {
        var (f, _, sensor) = await RegisteredAsync();
        await using var _f = f;
        List<Lwm2mNotificationEventArgs> received = Collect(f.Server);

        ObserveResult observe = await f.RunAsync(f.Server.ObserveAsync("node-1", P("/3303/0/5700")));
        Assert.True(observe.IsSuccess, observe.ToString());
        Assert.Equal(21.5, Assert.IsType<Lwm2mSingleResource>(observe.Node).Value.AsFloat());

        sensor.Value = 23.25;
        Assert.True(await f.RunUntilAsync(() => received.Count >= 1, TimeSpan.FromSeconds(30)));
        Assert.Equal(23.25, Temperature(received[0]));
        Assert.Single(f.Client.Reporter!.Observations(101).Items);
    }

    [Fact]
    public async Task Pmin_written_by_the_server_holds_back_a_change_until_it_has_passed_on_virtual_time()
    {
        var (f, _, sensor) = await RegisteredAsync();
        await using var _f = f;
        List<Lwm2mNotificationEventArgs> received = Collect(f.Server);
        Lwm2mResult attributes = await f.RunAsync(f.Server.WriteAttributesAsync("node-1", P("/3303/0/5700"), new Lwm2mAttributes { MinimumPeriod = 10 }));
        Assert.True(attributes.IsSuccess, attributes.ToString());
        ObserveResult observe = await f.RunAsync(f.Server.ObserveAsync("node-1", P("/3303/0/5700")));
        Assert.True(observe.IsSuccess, observe.ToString());
        DateTimeOffset observedAt = f.Clock.GetUtcNow();

        sensor.Value = 30.0;
        Assert.True(await f.RunUntilAsync(() => received.Count >= 1, TimeSpan.FromMinutes(1)));

        Assert.True(received[0].ReceivedAt - observedAt >= TimeSpan.FromSeconds(10), $"notified after {received[0].ReceivedAt - observedAt}");
        Assert.True(received[0].ReceivedAt - observedAt < TimeSpan.FromSeconds(15), $"notified after {received[0].ReceivedAt - observedAt}");
        Assert.Equal(30.0, Temperature(received[0]));
    }

    [Fact]
    public async Task Pmax_written_by_the_server_brings_a_notification_without_any_change()
    {
        var (f, _, _) = await RegisteredAsync();
        await using var _f = f;
        List<Lwm2mNotificationEventArgs> received = Collect(f.Server);
        Assert.True((await f.RunAsync(f.Server.WriteAttributesAsync("node-1", P("/3303/0"), new Lwm2mAttributes { MaximumPeriod = 20 }))).IsSuccess);
        ObserveResult observe = await f.RunAsync(f.Server.ObserveAsync("node-1", P("/3303/0/5700")));
        Assert.True(observe.IsSuccess, observe.ToString());
        DateTimeOffset observedAt = f.Clock.GetUtcNow();

        Assert.True(await f.RunUntilAsync(() => received.Count >= 2, TimeSpan.FromMinutes(2)));

        TimeSpan first = received[0].ReceivedAt - observedAt;
        Assert.InRange(first, TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(25));
        Assert.Equal(21.5, Temperature(received[0]));
    }

    [Fact]
    public async Task Cancelling_with_Observe_1_stops_notifications()
    {
        var (f, _, sensor) = await RegisteredAsync();
        await using var _f = f;
        List<Lwm2mNotificationEventArgs> received = Collect(f.Server);
        ObserveResult observe = await f.RunAsync(f.Server.ObserveAsync("node-1", P("/3303/0/5700")));
        Assert.True(observe.IsSuccess, observe.ToString());
        sensor.Value = 22.0;
        Assert.True(await f.RunUntilAsync(() => received.Count >= 1, TimeSpan.FromSeconds(30)));

        await f.RunAsync(observe.Observation!.CancelAsync(active: true).ContinueWith(_ => true, TaskScheduler.Default));
        Assert.Empty(f.Client.Reporter!.Observations(101).Items);
        sensor.Value = 24.0;
        await f.RunUntilAsync(() => received.Count >= 2, TimeSpan.FromSeconds(30));

        Assert.Single(received);
    }

    [Fact]
    public async Task Observe_composite_notifies_the_changed_member_with_its_records()
    {
        var (f, device, _) = await RegisteredAsync();
        await using var _f = f;
        List<Lwm2mNotificationEventArgs> received = Collect(f.Server);
        CompositeObserveResult observe = await f.RunAsync(f.Server.ObserveCompositeAsync("node-1", [P("/3303/0/5700"), P("/3/0/9")]));
        Assert.True(observe.IsSuccess, observe.ToString());

        device.BatteryLevel = 42;
        Assert.True(await f.RunUntilAsync(() => received.Count >= 1, TimeSpan.FromSeconds(30)));

        IReadOnlyList<Lwm2mRecord> records = received[0].Records!;
        Assert.Contains(records, r => r.Path == P("/3/0/9") && r.Value!.Value.AsInteger() == 42);
    }

    [Fact]
    public async Task Send_from_the_application_arrives_at_the_server_and_Mute_Send_refuses_it()
    {
        var (f, _, sensor) = await RegisteredAsync();
        await using var _f = f;
        var sent = new List<SendEventArgs>();
        f.Server.DataReceived += (_, e) =>
        {
            lock (sent)
            {
                sent.Add(e);
            }
        };
        sensor.Value = 19.75;

        SendResult result = await f.Client.SendAsync([P("/3303/0/5700")]);
        Assert.Equal(SendStatus.Queued, result.Status);
        Assert.True(await f.RunUntilAsync(() => sent.Count >= 1, TimeSpan.FromSeconds(30)));
        Assert.Contains(sent[0].Records, r => r.Path == P("/3303/0/5700") && r.Value!.Value.AsFloat() == 19.75);

        Lwm2mResult mute = await f.RunAsync(f.Server.WriteAsync("node-1", P("/1/0/23"), new Lwm2mSingleResource(23, Lwm2mValue.FromBoolean(true))));
        Assert.True(mute.IsSuccess, mute.ToString());
        SendResult muted = await f.Client.SendAsync([P("/3303/0/5700")]);
        Assert.Equal(SendStatus.Muted, muted.Status);
    }

    [Fact]
    public async Task Notifications_stored_during_an_outage_arrive_after_the_client_is_back()
    {
        var (f, _, sensor) = await RegisteredAsync();
        await using var _f = f;
        List<Lwm2mNotificationEventArgs> received = Collect(f.Server);
        Assert.True((await f.RunAsync(f.Server.WriteAttributesAsync("node-1", P("/3303/0/5700"), new Lwm2mAttributes { Confirmable = true }))).IsSuccess);
        ObserveResult observe = await f.RunAsync(f.Server.ObserveAsync("node-1", P("/3303/0/5700")));
        Assert.True(observe.IsSuccess, observe.ToString());

        // A confirmable notification nobody acknowledges marks the server offline; it and later ones are stored.
        f.Network.Partition(f.ClientEndpoint.LocalEndPoint, f.Server.LocalEndPoint);
        sensor.Value = 25.5;
        Assert.True(await f.RunUntilAsync(() => !f.Client.Reporter!.IsOnline(101), TimeSpan.FromMinutes(5)));
        sensor.Value = 26.5;
        Assert.True(await f.RunUntilAsync(() => f.Client.Reporter!.StoredCount(101) >= 1, TimeSpan.FromSeconds(30)));
        Assert.Empty(received);

        // Back: the next successful Update releases what was stored, to the same observation.
        f.Network.HealAll();
        await f.Client.TriggerUpdateAsync();
        Assert.True(await f.RunUntilAsync(() => received.Count >= 1, TimeSpan.FromMinutes(2)));

        Assert.Equal(0, f.Client.Reporter!.StoredCount(101));
        Assert.Contains(received, e => e.Node is Lwm2mSingleResource r ? r.Value.AsFloat() == 26.5
            : e.Records?.Any(x => x.Path == P("/3303/0/5700") && x.Value!.Value.AsFloat() == 26.5) ?? false);
    }

    [Fact]
    public async Task An_RST_to_a_confirmable_notification_ends_the_observation_at_the_client()
    {
        var (f, _, sensor) = await RegisteredAsync();
        await using var _f = f;
        Assert.True((await f.RunAsync(f.Server.WriteAttributesAsync("node-1", P("/3303/0/5700"), new Lwm2mAttributes { Confirmable = true }))).IsSuccess);
        ObserveResult observe = await f.RunAsync(f.Server.ObserveAsync("node-1", P("/3303/0/5700")));
        Assert.True(observe.IsSuccess, observe.ToString());
        Assert.Single(f.Client.Reporter!.Observations(101).Items);

        // The server forgets the observation without telling the client; the next notification is answered with RST.
        await f.RunAsync(observe.Observation!.CancelAsync(active: false).ContinueWith(_ => true, TaskScheduler.Default));
        sensor.Value = 27.0;

        Assert.True(await f.RunUntilAsync(() => f.Client.Reporter.Observations(101).Items.Count == 0, TimeSpan.FromMinutes(1)));
        Assert.True(f.Client.Reporter.IsOnline(101));
        Assert.Equal(0, f.Client.Reporter.StoredCount(101));
    }
}
