using Tern.Lwm2m.Client.Reporting;
using Tern.Lwm2m.Model;
using static Tern.Lwm2m.Client.Tests.Reporting.ReportingHarness;

namespace Tern.Lwm2m.Client.Tests.Reporting;

public class TimeSeriesCacheTests
{
    private static double[] Values(TimeSeriesCache cache, Lwm2mPath path) => [.. cache.GetRecords(path).Select(r => r.Value!.Value.AsFloat())];

    [Fact]
    public void A_full_cache_drops_its_oldest_entry_by_default()
    {
        var cache = new TimeSeriesCache();
        cache.Enable(Temperature, 3);

        TimeSeriesAppendResult[] results = [.. Enumerable.Range(1, 5).Select(i => cache.Append(Temperature, Lwm2mValue.FromFloat(i), At(i)))];

        Assert.All(results, r => Assert.Equal(TimeSeriesAppendStatus.Accepted, r.Status));
        Assert.Equal([false, false, false, true, true], results.Select(r => r.DroppedOldest));
        Assert.Equal([3.0, 4, 5], Values(cache, Temperature));
    }

    [Fact]
    public void A_full_cache_can_refuse_new_entries_instead()
    {
        var cache = new TimeSeriesCache();
        cache.Enable(Temperature, 3, OverflowPolicy.RefuseNew);

        TimeSeriesAppendResult[] results = [.. Enumerable.Range(1, 5).Select(i => cache.Append(Temperature, Lwm2mValue.FromFloat(i), At(i)))];

        Assert.Equal([TimeSeriesAppendStatus.Accepted, TimeSeriesAppendStatus.Accepted, TimeSeriesAppendStatus.Accepted, TimeSeriesAppendStatus.Full, TimeSeriesAppendStatus.Full],
            results.Select(r => r.Status));
        Assert.Equal([1.0, 2, 3], Values(cache, Temperature));
    }

    [Fact]
    public void The_validator_can_refuse_a_value_with_a_reason()
    {
        var h = new ReportingHarness();
        h.Reporter.Cache.Enable(Temperature, 5);
        h.Reporter.Cache.Validator = (path, value, _) => value.AsFloat() > 100 ? $"{path}: {value} is beyond the sensor's range" : null;
        h.Observe(Temperature);

        TimeSeriesAppendResult refused = h.Reporter.RecordValue(Temperature, Lwm2mValue.FromFloat(150), h.Now);
        TimeSeriesAppendResult accepted = h.Reporter.RecordValue(Temperature, Lwm2mValue.FromFloat(50), h.Now);

        Assert.Equal(TimeSeriesAppendStatus.Refused, refused.Status);
        Assert.Equal("/3303/0/5700: 150 is beyond the sensor's range", refused.Reason);
        Assert.Equal(TimeSeriesAppendStatus.Accepted, accepted.Status);
        Assert.Equal([50.0], Values(h.Reporter.Cache, Temperature));
    }

    [Fact]
    public void A_refused_value_is_not_reported_as_a_change()
    {
        var h = new ReportingHarness();
        h.Reporter.Cache.Enable(Temperature, 5);
        h.Reporter.Cache.Validator = (_, _, _) => "never";
        h.Observe(Temperature);

        h.Data.Set(Temperature, Lwm2mValue.FromFloat(99));
        h.Reporter.RecordValue(Temperature, Lwm2mValue.FromFloat(99), h.Now);
        h.RunUntil(10);

        Assert.Empty(h.Taken);
    }

    [Fact]
    public void Values_without_a_fixed_size_and_uncached_resources_are_not_stored()
    {
        var cache = new TimeSeriesCache();
        cache.Enable(Units, 3);

        Assert.Equal(TimeSeriesAppendStatus.UnsupportedType, cache.Append(Units, Lwm2mValue.FromString("Cel"), Start).Status);
        Assert.Equal(TimeSeriesAppendStatus.NotCached, cache.Append(Temperature, Lwm2mValue.FromFloat(1), Start).Status);
        Assert.Equal(0, cache.Count(Units));
    }

    [Fact]
    public void Enabling_again_with_a_smaller_bound_keeps_the_newest_entries()
    {
        var cache = new TimeSeriesCache();
        cache.Enable(Temperature, 5);
        for (int i = 1; i <= 5; i++)
        {
            cache.Append(Temperature, Lwm2mValue.FromFloat(i), At(i));
        }

        cache.Enable(Temperature, 2);

        Assert.Equal([4.0, 5], Values(cache, Temperature));
    }

    [Fact]
    public void Enabling_a_cache_above_resource_level_is_a_usage_error()
    {
        var cache = new TimeSeriesCache();

        Assert.Throws<ArgumentException>(() => cache.Enable(new Lwm2mPath(3303, 0), 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => cache.Enable(Temperature, 0));
    }

    [Fact]
    public void Read_returns_every_entry_under_a_path_with_its_timestamp()
    {
        var cache = new TimeSeriesCache();
        cache.Enable(Temperature, 5);
        cache.Enable(Alarm, 5);
        cache.Append(Temperature, Lwm2mValue.FromFloat(1), At(1));
        cache.Append(Alarm, Lwm2mValue.FromBoolean(true), At(2));

        Assert.Equal(
            [new Lwm2mRecord(Alarm, Lwm2mValue.FromBoolean(true), At(2)), new Lwm2mRecord(Temperature, Lwm2mValue.FromFloat(1), At(1))],
            cache.GetRecords(new Lwm2mPath(3303, 0)));
        Assert.Single(cache.GetRecords(Temperature));
    }

    [Fact]
    public void A_notification_carries_the_entries_made_since_the_previous_one()
    {
        var h = new ReportingHarness();
        h.Reporter.Cache.Enable(Temperature, 10);
        h.Reporter.RecordValue(Temperature, Lwm2mValue.FromFloat(19), At(-5));
        h.Write("pmin=10", Temperature);
        ObserveResult observe = h.Reporter.Observe(Ssid, Temperature, Token, 112, h.Now);
        Assert.Single(observe.Values[0].History!);

        foreach (double s in new[] { 2.0, 4, 6 })
        {
            h.RunUntil(s);
            h.Data.Set(Temperature, Lwm2mValue.FromFloat(20 + s));
            h.Reporter.RecordValue(Temperature, Lwm2mValue.FromFloat(20 + s), h.Now);
        }

        h.RunUntil(10);
        h.RunUntil(12);
        h.Data.Set(Temperature, Lwm2mValue.FromFloat(40));
        h.Reporter.RecordValue(Temperature, Lwm2mValue.FromFloat(40), h.Now);
        h.RunUntil(20);

        NotifyAction[] notes = [.. h.Notifications.Select(n => n.Notify)];
        Assert.Equal(2, notes.Length);
        Assert.Equal([(2.0, 22.0), (4.0, 24.0), (6.0, 26.0)], notes[0].Values[0].History!.Select(r => ((r.Timestamp!.Value - Start).TotalSeconds, r.Value!.Value.AsFloat())));
        Assert.Equal([(12.0, 40.0)], notes[1].Values[0].History!.Select(r => ((r.Timestamp!.Value - Start).TotalSeconds, r.Value!.Value.AsFloat())));
    }
}
