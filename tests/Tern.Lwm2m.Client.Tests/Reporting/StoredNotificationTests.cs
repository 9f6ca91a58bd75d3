using Tern.Lwm2m.Client.Reporting;
using Tern.Lwm2m.Model;
using static Tern.Lwm2m.Client.Tests.Reporting.ReportingHarness;

namespace Tern.Lwm2m.Client.Tests.Reporting;

public class StoredNotificationTests
{
    private const double OutageStart = 100;
    private const double OutageEnd = OutageStart + (2 * 3600);

    private static ReportingHarness TwoHourOutage(ReportingServerSettings? settings = null, ReportingOptions? options = null, string query = "pmax=600")
    {
        var h = new ReportingHarness(settings, options);
        h.Write(query, Temperature);
        h.Observe(Temperature);
        h.RunUntil(OutageStart);
        h.Reporter.SetServerOnline(Ssid, false);
        h.SetAt(1000, Temperature, Lwm2mValue.FromFloat(31));
        h.SetAt(5000, Temperature, Lwm2mValue.FromFloat(32));
        h.RunUntil(OutageEnd);
        Assert.Empty(h.Taken);
        h.Reporter.SetServerOnline(Ssid, true);
        h.Collect();
        return h;
    }

    [Fact]
    public void Notifications_made_during_a_two_hour_outage_are_delivered_in_order_after_reconnecting()
    {
        ReportingHarness h = TwoHourOutage();

        // pmax 600 from 0, restarted by the changes at 1000 and 5000.
        double[] expected = [600, 1000, 1600, 2200, 2800, 3400, 4000, 4600, 5000, 5600, 6200, 6800];
        Assert.Equal(expected, h.NotifyTimes);
        Assert.All(h.Notifications, n => Assert.True(n.Notify.WasStored));
        Assert.Equal(Enumerable.Range(1, expected.Length).Select(i => (uint)i), h.Notifications.Select(n => n.Notify.Sequence));
        Assert.Equal([20.0, 31, 31, 31, 31, 31, 31, 31, 32, 32, 32, 32], h.Notifications.Select(n => ValueOf(n.Notify)));
        Assert.Equal(0, h.Reporter.StoredCount(Ssid));

        h.RunUntil(OutageEnd + 600);
        (double at, NotifyAction live) = h.Notifications.Last();
        Assert.Equal(7400, at);
        Assert.False(live.WasStored);
    }

    [Fact]
    public void A_full_store_drops_the_oldest_notification_by_default()
    {
        ReportingHarness h = TwoHourOutage(options: new ReportingOptions { MaxStoredPerServer = 5 });

        Assert.Equal([4600.0, 5000, 5600, 6200, 6800], h.NotifyTimes);
        Assert.Equal(7, h.Reporter.DroppedStoredCount(Ssid));
    }

    [Fact]
    public void A_full_store_can_refuse_new_notifications_instead()
    {
        ReportingHarness h = TwoHourOutage(options: new ReportingOptions { MaxStoredPerServer = 5, StoredOverflow = OverflowPolicy.RefuseNew });

        Assert.Equal([600.0, 1000, 1600, 2200, 2800], h.NotifyTimes);
        Assert.Equal(7, h.Reporter.DroppedStoredCount(Ssid));
    }

    [Fact]
    public void Hqmax_bounds_the_stored_notifications_of_one_observation()
    {
        ReportingHarness h = TwoHourOutage(query: "pmax=600&hqmax=3");

        Assert.Equal([5600.0, 6200, 6800], h.NotifyTimes);
    }

    [Fact]
    public void Without_notification_storing_the_outage_loses_its_notifications_and_live_ones_resume()
    {
        ReportingHarness h = TwoHourOutage(new ReportingServerSettings(Ssid) { NotificationStoring = false });

        Assert.Empty(h.Taken);
        h.RunUntil(OutageEnd + 600);
        Assert.Equal([7400.0], h.NotifyTimes);
    }

    [Fact]
    public void A_notification_that_could_not_be_delivered_goes_back_first_in_line()
    {
        var h = new ReportingHarness();
        h.Write("pmax=60", Temperature);
        h.Observe(Temperature);
        h.RunUntil(60);
        NotifyAction failed = Assert.Single(h.Notifications).Notify;
        h.Taken.Clear();

        h.Reporter.OnDeliveryFailed(failed);
        Assert.False(h.Reporter.IsOnline(Ssid));
        h.RunUntil(130);
        h.Reporter.SetServerOnline(Ssid, true);
        h.Collect();

        Assert.Equal([60.0, 120.0], h.NotifyTimes);
        Assert.Equal([1u, 2u], h.Notifications.Select(n => n.Notify.Sequence));
    }

    [Fact]
    public void Stored_notifications_and_sends_keep_their_common_order()
    {
        var h = new ReportingHarness();
        h.Observe(Temperature);
        h.Reporter.SetServerOnline(Ssid, false);
        h.SetAt(10, Temperature, Lwm2mValue.FromFloat(25));
        Assert.Equal(SendStatus.Stored, h.Reporter.RequestSend(Ssid, [Alarm], h.Now + TimeSpan.FromSeconds(5)).Status);
        h.SetAt(20, Temperature, Lwm2mValue.FromFloat(26));

        h.Reporter.SetServerOnline(Ssid, true);
        h.Collect();

        Assert.Equal(["Notify", "Send", "Notify"], h.Taken.Select(t => t.Action is NotifyAction ? "Notify" : "Send"));
        Assert.True(((SendAction)h.Taken[1].Action).WasStored);
    }

    [Fact]
    public void Failures_reported_in_any_order_are_delivered_in_the_order_they_were_made()
    {
        var h = new ReportingHarness();
        h.Write("pmax=60", Temperature);
        h.Observe(Temperature);
        h.RunUntil(180);
        NotifyAction[] taken = [.. h.Notifications.Select(n => n.Notify)];
        h.Taken.Clear();

        h.Reporter.OnDeliveryFailed(taken[2]);
        h.Reporter.OnDeliveryFailed(taken[0]);
        h.Reporter.OnDeliveryFailed(taken[1]);
        h.Reporter.SetServerOnline(Ssid, true);
        h.Collect();

        Assert.Equal([60.0, 120.0, 180.0], h.NotifyTimes);
        Assert.All(h.Notifications, n => Assert.True(n.Notify.WasStored));
    }

    [Fact]
    public void Actions_not_taken_when_the_server_goes_offline_wait_in_the_store()
    {
        var h = new ReportingHarness();
        h.Observe(Temperature);
        h.RunUntil(1);
        h.Data.Set(Temperature, Lwm2mValue.FromFloat(30));
        h.Reporter.OnValueChanged(Temperature, h.Now);
        h.Reporter.Step(h.Now);
        Assert.Equal(1, h.Reporter.PendingActions);

        h.Reporter.SetServerOnline(Ssid, false);
        Assert.Equal(0, h.Reporter.PendingActions);
        Assert.Equal(1, h.Reporter.StoredCount(Ssid));
        h.Reporter.SetServerOnline(Ssid, true);
        h.Collect();

        NotifyAction notify = Assert.Single(h.Notifications).Notify;
        Assert.True(notify.WasStored);
        Assert.Equal(30, ValueOf(notify));
    }
}
