using Tern.Lwm2m.Client.Reporting;
using Tern.Lwm2m.Model;
using static Tern.Lwm2m.Client.Tests.Reporting.ReportingHarness;

namespace Tern.Lwm2m.Client.Tests.Reporting;

public class ThresholdTests
{
    private static double[] Reported(ReportingHarness h) => [.. h.Notifications.Select(n => ValueOf(n.Notify))];

    private static ReportingHarness Feed(string query, params double[] values)
    {
        var h = new ReportingHarness();
        h.Write(query, Temperature);
        h.Observe(Temperature);
        for (int i = 0; i < values.Length; i++)
        {
            h.SetAt(i + 1, Temperature, Lwm2mValue.FromFloat(values[i]));
        }

        return h;
    }

    [Fact]
    public void Gt_notifies_when_the_value_crosses_it_upwards_and_downwards_only()
    {
        ReportingHarness h = Feed("gt=25", 26, 27, 24, 23, 25, 25.5);

        Assert.Equal([26.0, 24.0, 25.5], Reported(h));
    }

    [Fact]
    public void Lt_notifies_when_the_value_crosses_it_downwards_and_upwards_only()
    {
        ReportingHarness h = Feed("lt=10", 9, 8, 11, 12, 9.5);

        Assert.Equal([9.0, 11.0, 9.5], Reported(h));
    }

    [Fact]
    public void A_crossing_and_its_return_within_pmin_still_notify_once_when_pmin_ends()
    {
        var h = new ReportingHarness();
        h.Write("gt=25&pmin=10", Temperature);
        h.Observe(Temperature);

        h.SetAt(2, Temperature, Lwm2mValue.FromFloat(26));
        h.SetAt(4, Temperature, Lwm2mValue.FromFloat(24));
        h.RunUntil(50);

        (double at, NotifyAction notify) = Assert.Single(h.Notifications);
        Assert.Equal(10, at);
        Assert.Equal(24, ValueOf(notify));
    }

    [Fact]
    public void St_notifies_when_the_value_moved_that_far_from_the_last_reported_value()
    {
        ReportingHarness h = Feed("st=2", 21, 21.9, 22, 23, 20, 18.5);

        Assert.Equal([22.0, 20.0], Reported(h));
    }

    [Fact]
    public void Gt_lt_and_st_together_notify_when_any_of_them_holds()
    {
        ReportingHarness h = Feed("lt=10&gt=30&st=5", 24, 31, 29, 33, 9);

        // 24: moved 4 (no); 31: crossed gt (yes); 29: crossed gt back (yes); 33: crossed gt, moved 4 (yes); 9: crossed lt and moved 24 (yes).
        Assert.Equal([31.0, 29.0, 33.0, 9.0], Reported(h));
    }

    [Fact]
    public void Thresholds_work_on_integer_resources()
    {
        var h = new ReportingHarness();
        var counter = new Lwm2mPath(3303, 0, 5601);
        h.Data.Set(counter, Lwm2mValue.FromInteger(0));
        h.Write("gt=100", counter);
        h.Observe(counter);

        h.SetAt(1, counter, Lwm2mValue.FromInteger(100));
        h.SetAt(2, counter, Lwm2mValue.FromInteger(101));

        (double at, NotifyAction notify) = Assert.Single(h.Notifications);
        Assert.Equal(2, at);
        Assert.Equal(101, ((Lwm2mSingleResource)notify.Values[0].Node!).Value.AsInteger());
    }

    [Fact]
    public void Pmax_still_forces_a_notification_when_no_threshold_is_crossed()
    {
        var h = new ReportingHarness();
        h.Write("gt=25&pmax=30", Temperature);
        h.Observe(Temperature);

        h.SetAt(5, Temperature, Lwm2mValue.FromFloat(21));
        h.RunUntil(31);

        Assert.Equal([30.0], h.NotifyTimes);
    }

    [Fact]
    public void Edge_1_notifies_on_the_rising_edge_only()
    {
        var h = new ReportingHarness();
        h.Write("edge=1", Alarm);
        h.Observe(Alarm);

        h.SetAt(1, Alarm, Lwm2mValue.FromBoolean(true));
        h.SetAt(2, Alarm, Lwm2mValue.FromBoolean(false));
        h.SetAt(3, Alarm, Lwm2mValue.FromBoolean(true));

        Assert.Equal([1.0, 3.0], h.NotifyTimes);
    }

    [Fact]
    public void Edge_0_notifies_on_the_falling_edge_only()
    {
        var h = new ReportingHarness();
        h.Data.Set(Alarm, Lwm2mValue.FromBoolean(true));
        h.Write("edge=0", Alarm);
        h.Observe(Alarm);

        h.SetAt(1, Alarm, Lwm2mValue.FromBoolean(false));
        h.SetAt(2, Alarm, Lwm2mValue.FromBoolean(true));
        h.SetAt(3, Alarm, Lwm2mValue.FromBoolean(false));

        Assert.Equal([1.0, 3.0], h.NotifyTimes);
        Assert.All(h.Notifications, n => Assert.False(((Lwm2mSingleResource)n.Notify.Values[0].Node!).Value.AsBoolean()));
    }
}
