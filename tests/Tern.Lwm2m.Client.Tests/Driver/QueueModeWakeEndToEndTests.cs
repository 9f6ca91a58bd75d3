using Tern.Lwm2m.Client.Engine;
using Tern.Lwm2m.Client.Reporting;
using Tern.Lwm2m.Model;
using Tern.Lwm2m.Server;
using ObserveResult = Tern.Lwm2m.Server.Operations.ObserveResult;

namespace Tern.Lwm2m.Client.Tests.Driver;

/// <summary>
/// Queue mode woken by reporting work, on the virtual clock: server A (binding UQ, queue-mode timeout 30 s) hears
/// nothing while the client sleeps; a notification or a Send that falls due makes the client reconnect with an
/// Update first and then deliver it.
/// </summary>
[Collection(MultiServerTestGroup.Name)]
public class QueueModeWakeEndToEndTests
{
    private const ushort A = TwoServerFixture.IdA;

    private static readonly TimeSpan QueueTimeout = TimeSpan.FromSeconds(30);

    private static Lwm2mPath P(string path) => Lwm2mPath.Parse(path);

    /// <summary>What server A saw, in order: "update", "notify" or "send", with the virtual time.</summary>
    private static List<(string Kind, DateTimeOffset At)> Timeline(TwoServerFixture f)
    {
        var seen = new List<(string, DateTimeOffset)>();
        void Add(string kind, DateTimeOffset at)
        {
            lock (seen)
            {
                seen.Add((kind, at));
            }
        }

        f.ServerA.Updated += (_, _) => Add("update", f.Clock.GetUtcNow());
        f.ServerA.NotificationReceived += (_, e) => Add("notify", e.ReceivedAt);
        f.ServerA.DataReceived += (_, e) => Add("send", e.ReceivedAt);
        return seen;
    }

    private static List<(string Kind, DateTimeOffset At)> Snapshot(List<(string Kind, DateTimeOffset At)> seen)
    {
        lock (seen)
        {
            return [.. seen];
        }
    }

    private static async Task<TwoServerFixture> QueueModeClientAsync()
    {
        // Lifetime 1 h: the periodic Update (at 30 min) stays out of the way of what the tests look at.
        TwoServerFixture f = await TwoServerFixture.StartAsync(TimeSpan.FromHours(1), "UQ", new Lwm2mClientOptions("node-1") { QueueModeTimeout = QueueTimeout });
        await f.RegisterAsync();
        return f;
    }

    [Fact]
    public async Task A_notification_due_in_queue_mode_wakes_the_client_which_updates_first_then_notifies()
    {
        await using TwoServerFixture f = await QueueModeClientAsync();
        List<(string Kind, DateTimeOffset At)> seen = Timeline(f);
        ObserveResult observe = await f.RunAsync(f.ServerA.ObserveAsync("node-1", P("/3303/0/5700")));
        Assert.True(observe.IsSuccess, observe.ToString());

        Assert.True(await f.RunUntilAsync(() => f.Client.GetServerState(A) == Lwm2mClientState.QueueMode, TimeSpan.FromMinutes(1)));
        await f.RunForAsync(TimeSpan.FromMinutes(5));
        Assert.Equal(Lwm2mClientState.QueueMode, f.Client.GetServerState(A));
        Assert.Empty(Snapshot(seen));

        DateTimeOffset changedAt = f.Clock.GetUtcNow();
        f.SensorA.Value = 24.5;
        Assert.True(await f.RunUntilAsync(() => Snapshot(seen).Any(s => s.Kind == "notify"), TimeSpan.FromSeconds(30)));

        List<(string Kind, DateTimeOffset At)> timeline = Snapshot(seen);
        Assert.Equal(["update", "notify"], timeline.Select(s => s.Kind));
        Assert.True(timeline[0].At - changedAt < TimeSpan.FromSeconds(5), $"the Update went out {timeline[0].At - changedAt} after the change");
        Assert.Contains(f.Events, e => e is Lwm2mUpdateCompleted { ShortServerId: A } u && u.Time >= changedAt);

        // Awake again for the queue-mode timeout, then quiet once more.
        Assert.True(await f.RunUntilAsync(() => f.Client.GetServerState(A) == Lwm2mClientState.QueueMode, TimeSpan.FromMinutes(2)));
        Assert.Equal(2, f.Events.OfType<Lwm2mQueueModeRxOff>().Count(e => e.ShortServerId == A));
    }

    [Fact]
    public async Task A_send_asked_in_queue_mode_goes_out_after_the_update_that_reconnects()
    {
        await using TwoServerFixture f = await QueueModeClientAsync();
        List<(string Kind, DateTimeOffset At)> seen = Timeline(f);
        Assert.True(await f.RunUntilAsync(() => f.Client.GetServerState(A) == Lwm2mClientState.QueueMode, TimeSpan.FromMinutes(1)));
        await f.RunForAsync(TimeSpan.FromMinutes(3));

        SendResult result = await f.Client.SendAsync([P("/3303/0/5700")], A);
        Assert.Equal(SendStatus.Queued, result.Status);
        Assert.True(await f.RunUntilAsync(() => Snapshot(seen).Any(s => s.Kind == "send"), TimeSpan.FromSeconds(30)));

        Assert.Equal(["update", "send"], Snapshot(seen).Select(s => s.Kind));
    }

    [Fact]
    public async Task Queue_mode_of_one_server_does_not_hold_back_the_other_servers_notifications()
    {
        await using TwoServerFixture f = await QueueModeClientAsync();
        var atB = new List<DateTimeOffset>();
        f.ServerB.NotificationReceived += (_, e) =>
        {
            lock (atB)
            {
                atB.Add(e.ReceivedAt);
            }
        };
        ObserveResult observe = await f.RunAsync(f.ServerB.ObserveAsync("node-1", P("/3303/1/5700")));
        Assert.True(observe.IsSuccess, observe.ToString());
        Assert.True(await f.RunUntilAsync(() => f.Client.GetServerState(A) == Lwm2mClientState.QueueMode, TimeSpan.FromMinutes(1)));

        f.SensorB.Value = 33.0;
        Assert.True(await f.RunUntilAsync(() => { lock (atB) { return atB.Count > 0; } }, TimeSpan.FromSeconds(30)));
        Assert.Equal(Lwm2mClientState.QueueMode, f.Client.GetServerState(A));
        Assert.DoesNotContain(f.Events, e => e is Lwm2mUpdateCompleted);
    }
}
