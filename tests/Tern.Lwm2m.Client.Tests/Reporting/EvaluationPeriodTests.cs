using Tern.Lwm2m.Client.Reporting;
using Tern.Lwm2m.Model;
using static Tern.Lwm2m.Client.Tests.Reporting.ReportingHarness;

namespace Tern.Lwm2m.Client.Tests.Reporting;

public class EvaluationPeriodTests
{
    [Fact]
    public void Epmin_holds_the_evaluation_of_a_change_back_without_reading_the_value()
    {
        var h = new ReportingHarness();
        h.Write("epmin=10", Temperature);
        h.Observe(Temperature);
        int readsAfterObserve = h.Data.Reads;

        h.SetAt(2, Temperature, Lwm2mValue.FromFloat(21));
        Assert.Equal(At(10), h.Reporter.NextWakeUp);
        h.RunUntil(9.5);
        Assert.Equal(readsAfterObserve, h.Data.Reads);
        Assert.Empty(h.Taken);

        h.RunUntil(10);
        Assert.Equal([10.0], h.NotifyTimes);
    }

    [Fact]
    public void Epmin_spaces_evaluations_so_a_threshold_is_tested_on_the_value_then_current()
    {
        var h = new ReportingHarness();
        h.Write("epmin=10&gt=25", Temperature);
        h.Observe(Temperature);

        h.SetAt(2, Temperature, Lwm2mValue.FromFloat(26));
        h.SetAt(5, Temperature, Lwm2mValue.FromFloat(20));
        h.RunUntil(30);

        // At 10 the value is 20 again: from 20 to 20 nothing crossed gt.
        Assert.Empty(h.Taken);
    }

    [Fact]
    public void Epmax_evaluates_a_value_that_changed_without_a_change_report()
    {
        var h = new ReportingHarness();
        h.Write("epmax=30", Temperature);
        h.Observe(Temperature);

        h.RunUntil(5);
        h.Data.Set(Temperature, Lwm2mValue.FromFloat(23));
        h.RunUntil(29);
        Assert.Empty(h.Taken);

        h.RunUntil(31);
        (double at, NotifyAction notify) = Assert.Single(h.Notifications);
        Assert.Equal(30, at);
        Assert.Equal(23, ValueOf(notify));
    }

    [Fact]
    public void Epmax_reads_the_value_every_period_and_stays_silent_while_it_is_unchanged()
    {
        var h = new ReportingHarness();
        h.Write("epmax=30", Temperature);
        h.Observe(Temperature);
        int before = h.Data.Reads;

        h.RunUntil(95);

        Assert.Empty(h.Taken);
        Assert.Equal(before + 3, h.Data.Reads);
        Assert.Equal(At(120), h.Reporter.NextWakeUp);
    }
}
