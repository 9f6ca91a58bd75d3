using Tern.Lwm2m.Client.Reporting;
using Tern.Lwm2m.Model;
using static Tern.Lwm2m.Client.Tests.Reporting.ReportingHarness;

namespace Tern.Lwm2m.Client.Tests.Reporting;

public class NotificationPeriodTests
{
    [Fact]
    public void Change_within_pmin_is_held_back_until_pmin_ends_and_carries_the_latest_value()
    {
        var h = new ReportingHarness();
        h.Write("pmin=10", Temperature);
        h.Observe(Temperature);

        h.SetAt(3, Temperature, Lwm2mValue.FromFloat(21));
        Assert.Equal(At(10), h.Reporter.NextWakeUp);
        h.SetAt(7, Temperature, Lwm2mValue.FromFloat(22));
        h.RunUntil(9.999);
        Assert.Empty(h.Taken);

        h.RunUntil(10);
        (double at, NotifyAction notify) = Assert.Single(h.Notifications);
        Assert.Equal(10, at);
        Assert.Equal(22, ValueOf(notify));
    }

    [Fact]
    public void Change_after_pmin_is_notified_at_once()
    {
        var h = new ReportingHarness();
        h.Write("pmin=10", Temperature);
        h.Observe(Temperature);

        h.SetAt(15, Temperature, Lwm2mValue.FromFloat(21));

        Assert.Equal([15.0], h.NotifyTimes);
    }

    [Fact]
    public void Pmax_forces_a_notification_every_period_without_any_change()
    {
        var h = new ReportingHarness();
        h.Write("pmax=60", Temperature);
        h.Observe(Temperature);

        h.RunUntil(200);

        Assert.Equal([60.0, 120.0, 180.0], h.NotifyTimes);
        Assert.All(h.Notifications, n => Assert.Equal(20, ValueOf(n.Notify)));
    }

    [Fact]
    public void Pmax_counts_from_the_last_notification_of_any_cause()
    {
        var h = new ReportingHarness();
        h.Write("pmax=60", Temperature);
        h.Observe(Temperature);

        h.SetAt(30, Temperature, Lwm2mValue.FromFloat(25));
        h.RunUntil(100);

        Assert.Equal([30.0, 90.0], h.NotifyTimes);
    }

    [Fact]
    public void Server_default_periods_apply_when_no_level_sets_them()
    {
        var h = new ReportingHarness(new ReportingServerSettings(Ssid)
        {
            DefaultMinPeriod = TimeSpan.FromSeconds(5),
            DefaultMaxPeriod = TimeSpan.FromSeconds(20),
        });
        h.Observe(Temperature);

        h.SetAt(1, Temperature, Lwm2mValue.FromFloat(21));
        h.RunUntil(30);

        Assert.Equal([5.0, 25.0], h.NotifyTimes);
    }

    [Fact]
    public void Pmax_below_the_inherited_pmin_is_ignored()
    {
        var h = new ReportingHarness();
        h.Write("pmin=30", new Lwm2mPath(3303));
        h.Write("pmax=10", Temperature);
        h.Observe(Temperature);

        h.SetAt(12, Temperature, Lwm2mValue.FromFloat(21));
        h.RunUntil(100);

        Assert.Equal([30.0], h.NotifyTimes);
    }

    [Fact]
    public void A_change_report_without_a_new_value_sends_nothing()
    {
        var h = new ReportingHarness();
        h.Observe(Temperature);

        h.SetAt(5, Temperature, Lwm2mValue.FromFloat(20));
        h.RunUntil(1000);

        Assert.Empty(h.Taken);
        Assert.Null(h.Reporter.NextWakeUp);
    }

    [Fact]
    public void Observe_sequence_starts_at_zero_and_grows_by_one_per_notification()
    {
        var h = new ReportingHarness();
        h.Write("pmax=10", Temperature);
        Observation observation = h.Observe(Temperature);
        Assert.Equal(0u, observation.Sequence);

        h.RunUntil(30);

        Assert.Equal([1u, 2u, 3u], h.Notifications.Select(n => n.Notify.Sequence));
        Assert.All(h.Notifications, n => Assert.Equal(Token, n.Notify.Token.ToArray()));
    }

    [Fact]
    public void Changes_batched_before_one_step_give_one_notification()
    {
        var h = new ReportingHarness();
        Observation observation = h.Observe(new Lwm2mPath(3303, 0));

        h.RunUntil(5);
        h.Data.Set(Temperature, Lwm2mValue.FromFloat(30));
        h.Data.Set(Alarm, Lwm2mValue.FromBoolean(true));
        h.Reporter.OnValuesChanged([Temperature, Alarm], h.Now);
        h.Reporter.Step(h.Now);
        h.Collect();

        (_, NotifyAction notify) = Assert.Single(h.Notifications);
        Assert.Equal(observation.Id, notify.ObservationId);
        var instance = Assert.IsType<Lwm2mObjectInstance>(notify.Values[0].Node);
        Assert.Contains(instance.Resources, r => r is Lwm2mSingleResource { Id: 5500 } b && b.Value.AsBoolean());
    }

    [Fact]
    public void A_reported_change_asks_for_a_step_at_the_time_it_was_reported()
    {
        var h = new ReportingHarness();
        h.Observe(Temperature);
        h.RunUntil(5);
        Assert.Null(h.Reporter.NextWakeUp);

        h.Data.Set(Temperature, Lwm2mValue.FromFloat(21));
        h.Reporter.OnValueChanged(Temperature, At(5));

        Assert.Equal(At(5), h.Reporter.NextWakeUp);
        h.RunUntil(5);
        Assert.Equal([5.0], h.NotifyTimes);
        Assert.Null(h.Reporter.NextWakeUp);
    }
}
