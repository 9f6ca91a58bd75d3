using Tern.Lwm2m.Client.Engine;
using Tern.Lwm2m.Model;
using Tern.Lwm2m.Server;
using Tern.Lwm2m.Server.Operations;
using Tern.Lwm2m.Server.Registrations;
using ObserveResult = Tern.Lwm2m.Server.Operations.ObserveResult;

namespace Tern.Lwm2m.Client.Tests.Driver;

/// <summary>One client, two Tern servers on the virtual network: each server has its own registration, reads and observations.</summary>
[Collection(MultiServerTestGroup.Name)]
public class MultiServerEndToEndTests
{
    private const ushort A = TwoServerFixture.IdA;
    private const ushort B = TwoServerFixture.IdB;

    private static Lwm2mPath P(string path) => Lwm2mPath.Parse(path);

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

    private static int Count(List<Lwm2mNotificationEventArgs> received)
    {
        lock (received)
        {
            return received.Count;
        }
    }

    [Fact]
    public async Task The_client_registers_with_both_servers_and_each_reads_on_its_own()
    {
        await using TwoServerFixture f = await TwoServerFixture.StartAsync(TimeSpan.FromSeconds(300));
        await f.RegisterAsync();

        Registration? atA = await f.ServerA.GetRegistrationAsync("node-1");
        Registration? atB = await f.ServerB.GetRegistrationAsync("node-1");
        Assert.NotNull(atA);
        Assert.NotNull(atB);
        Assert.Equal([A, B], f.Events.OfType<Lwm2mRegistered>().Select(e => e.ShortServerId).Order());

        ReadResult readA = await f.RunAsync(f.ServerA.ReadAsync("node-1", P("/3303/0/5700")));
        ReadResult readB = await f.RunAsync(f.ServerB.ReadAsync("node-1", P("/3303/1/5700")));
        Assert.True(readA.IsSuccess, readA.ToString());
        Assert.True(readB.IsSuccess, readB.ToString());
        Assert.Equal(20.0, Assert.IsType<Lwm2mSingleResource>(readA.Node).Value.AsFloat());
        Assert.Equal(30.0, Assert.IsType<Lwm2mSingleResource>(readB.Node).Value.AsFloat());
    }

    [Fact]
    public async Task Each_server_gets_the_notifications_of_its_own_observations_only()
    {
        await using TwoServerFixture f = await TwoServerFixture.StartAsync(TimeSpan.FromSeconds(300));
        await f.RegisterAsync();
        List<Lwm2mNotificationEventArgs> atA = Collect(f.ServerA);
        List<Lwm2mNotificationEventArgs> atB = Collect(f.ServerB);

        ObserveResult observeA = await f.RunAsync(f.ServerA.ObserveAsync("node-1", P("/3303/0/5700")));
        ObserveResult observeB = await f.RunAsync(f.ServerB.ObserveAsync("node-1", P("/3303/1/5700")));
        Assert.True(observeA.IsSuccess, observeA.ToString());
        Assert.True(observeB.IsSuccess, observeB.ToString());
        Assert.Single(f.Client.Reporter!.Observations(A).Items);
        Assert.Single(f.Client.Reporter!.Observations(B).Items);

        f.SensorA.Value = 21.0;
        Assert.True(await f.RunUntilAsync(() => Count(atA) >= 1, TimeSpan.FromSeconds(30)));
        f.SensorB.Value = 31.0;
        Assert.True(await f.RunUntilAsync(() => Count(atB) >= 1, TimeSpan.FromSeconds(30)));
        await f.RunForAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(21.0, Temperature(Assert.Single(atA)));
        Assert.Equal(31.0, Temperature(Assert.Single(atB)));
    }

    [Fact]
    public async Task Notifications_of_a_whole_object_leave_out_the_instances_the_observer_may_not_read()
    {
        await using TwoServerFixture f = await TwoServerFixture.StartAsync(TimeSpan.FromSeconds(300), bReadsSensorB: false);
        await f.RegisterAsync();
        List<Lwm2mNotificationEventArgs> atB = Collect(f.ServerB);

        ObserveResult observe = await f.RunAsync(f.ServerB.ObserveAsync("node-1", P("/3303")));
        f.SensorB.Value = 31.0;
        Assert.True(await f.RunUntilAsync(() => Count(atB) >= 1, TimeSpan.FromSeconds(30)));

        Assert.True(observe.IsSuccess, observe.ToString());
        Assert.Equal([0], Assert.IsType<Lwm2mObject>(observe.Node).Instances.Select(i => i.Id));
        Lwm2mNotificationEventArgs notification;
        lock (atB)
        {
            notification = atB[0];
        }

        Assert.Equal([0], Assert.IsType<Lwm2mObject>(notification.Node).Instances.Select(i => i.Id));
    }

    [Fact]
    public async Task One_server_going_away_does_not_disturb_the_other()
    {
        await using TwoServerFixture f = await TwoServerFixture.StartAsync(TimeSpan.FromSeconds(60));
        await f.RegisterAsync();
        List<Lwm2mNotificationEventArgs> atA = Collect(f.ServerA);
        ObserveResult observeA = await f.RunAsync(f.ServerA.ObserveAsync("node-1", P("/3303/0/5700")));
        Assert.True(observeA.IsSuccess, observeA.ToString());

        // Server B becomes unreachable: its Updates (every 30 s) fail and the client keeps trying to register again.
        f.Network.Partition(f.ClientEndpoint.LocalEndPoint, f.ServerB.LocalEndPoint);
        int updatesBefore = f.Events.OfType<Lwm2mUpdateCompleted>().Count(e => e.ShortServerId == A);
        await f.RunForAsync(TimeSpan.FromMinutes(10));

        Assert.Contains(f.Events, e => e is Lwm2mNetworkError { ShortServerId: B });
        Assert.DoesNotContain(f.Events, e => e is Lwm2mNetworkError { ShortServerId: A });
        Assert.NotEqual(Lwm2mClientState.RegistrationSession, f.Client.GetServerState(B));
        Assert.Equal(Lwm2mClientState.RegistrationSession, f.Client.GetServerState(A));
        Assert.Equal(Lwm2mClientState.RegistrationSession, f.Client.State);

        // Lifetime 60 s: an Update to A every 30 s, each completed, all along.
        int updatesA = f.Events.OfType<Lwm2mUpdateCompleted>().Count(e => e.ShortServerId == A) - updatesBefore;
        Assert.InRange(updatesA, 19, 21);
        Assert.NotNull(await f.ServerA.GetRegistrationAsync("node-1"));

        f.SensorA.Value = 25.0;
        Assert.True(await f.RunUntilAsync(() => Count(atA) >= 1, TimeSpan.FromSeconds(30)));
        Assert.Equal(25.0, Temperature(atA[^1]));
    }

    [Fact]
    public async Task Disable_executed_by_one_server_suspends_only_its_own_session()
    {
        await using TwoServerFixture f = await TwoServerFixture.StartAsync(TimeSpan.FromSeconds(300));
        await f.RegisterAsync();
        int deregisteredAtB = 0;
        f.ServerB.Deregistered += (_, _) => Interlocked.Increment(ref deregisteredAtB);

        // /1/1 is server B's Server instance (short server id 102).
        Lwm2mResult disable = await f.RunAsync(f.ServerB.ExecuteAsync("node-1", P("/1/1/4")));
        Assert.True(disable.IsSuccess, disable.ToString());
        Assert.True(await f.RunUntilAsync(() => f.Client.GetServerState(B) == Lwm2mClientState.Suspended, TimeSpan.FromSeconds(30)));

        Assert.Equal(1, Volatile.Read(ref deregisteredAtB));
        Assert.Equal(Lwm2mClientState.RegistrationSession, f.Client.GetServerState(A));
        Assert.NotNull(await f.ServerA.GetRegistrationAsync("node-1"));
        Assert.Equal(B, Assert.Single(f.Events.OfType<Lwm2mServerDisabled>()).ShortServerId);
        ReadResult read = await f.RunAsync(f.ServerA.ReadAsync("node-1", P("/3303/0/5700")));
        Assert.True(read.IsSuccess, read.ToString());
    }

    [Fact]
    public async Task A_registration_update_trigger_executed_by_one_server_updates_only_that_server()
    {
        await using TwoServerFixture f = await TwoServerFixture.StartAsync(TimeSpan.FromSeconds(300));
        await f.RegisterAsync();
        int updatedAtA = 0;
        int updatedAtB = 0;
        f.ServerA.Updated += (_, _) => Interlocked.Increment(ref updatedAtA);
        f.ServerB.Updated += (_, _) => Interlocked.Increment(ref updatedAtB);

        Lwm2mResult trigger = await f.RunAsync(f.ServerA.ExecuteAsync("node-1", P("/1/0/8")));
        Assert.True(trigger.IsSuccess, trigger.ToString());
        Assert.True(await f.RunUntilAsync(() => Volatile.Read(ref updatedAtA) >= 1, TimeSpan.FromSeconds(30)));
        await f.RunForAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(1, Volatile.Read(ref updatedAtA));
        Assert.Equal(0, Volatile.Read(ref updatedAtB));
    }
}
