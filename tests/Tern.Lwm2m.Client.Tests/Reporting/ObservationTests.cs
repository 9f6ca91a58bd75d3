using Tern.Lwm2m.Client.Reporting;
using Tern.Lwm2m.Model;
using static Tern.Lwm2m.Client.Tests.Reporting.ReportingHarness;

namespace Tern.Lwm2m.Client.Tests.Reporting;

public class ObservationTests
{
    [Fact]
    public void Observe_answers_with_the_current_value_and_keeps_token_and_accept()
    {
        var h = new ReportingHarness();

        ObserveResult result = h.Reporter.Observe(Ssid, Temperature, Token, 112, h.Now);

        Assert.Equal("2.05", result.CoapCode);
        ReportedPath value = Assert.Single(result.Values);
        Assert.Equal(new Lwm2mSingleResource(5700, Lwm2mValue.FromFloat(20)), value.Node);
        Observation observation = Assert.Single(h.Reporter.Observations(Ssid).Items);
        Assert.Equal(Token, observation.Token.ToArray());
        Assert.Equal((ushort)112, observation.ContentFormat);
        Assert.False(observation.IsComposite);

        h.SetAt(1, Temperature, Lwm2mValue.FromFloat(21));
        Assert.Equal((ushort)112, Assert.Single(h.Notifications).Notify.ContentFormat);
    }

    [Fact]
    public void Observe_on_a_missing_path_is_refused_with_4_04()
    {
        var h = new ReportingHarness();

        ObserveResult result = h.Reporter.Observe(Ssid, new Lwm2mPath(3303, 7), Token, null, h.Now);

        Assert.Equal(ObserveStatus.NotFound, result.Status);
        Assert.Equal("4.04", result.CoapCode);
        Assert.Equal(0, h.Reporter.Observations(Ssid).Count);
    }

    [Fact]
    public void Observe_with_a_token_in_use_replaces_the_observation()
    {
        var h = new ReportingHarness();
        h.Observe(Temperature);

        Observation second = h.Observe(Alarm);

        Assert.Same(second, Assert.Single(h.Reporter.Observations(Ssid).Items));
        h.SetAt(1, Temperature, Lwm2mValue.FromFloat(30));
        Assert.Empty(h.Taken);
    }

    [Fact]
    public void Observations_beyond_the_limit_are_refused()
    {
        var h = new ReportingHarness(options: new ReportingOptions { MaxObservationsPerServer = 2 });
        h.Observe(Temperature, [1]);
        h.Observe(Alarm, [2]);

        ObserveResult third = h.Reporter.Observe(Ssid, Units, [3], null, h.Now);

        Assert.Equal(ObserveStatus.TooManyObservations, third.Status);
        Assert.Equal(2, h.Reporter.Observations(Ssid).Count);
    }

    [Fact]
    public void Cancelling_by_token_stops_the_notifications()
    {
        var h = new ReportingHarness();
        h.Observe(Temperature);
        h.SetAt(1, Temperature, Lwm2mValue.FromFloat(21));

        Assert.False(h.Reporter.CancelObservation(Ssid, [0xFF]));
        Assert.True(h.Reporter.CancelObservation(Ssid, Token));
        h.SetAt(2, Temperature, Lwm2mValue.FromFloat(22));

        Assert.Equal([1.0], h.NotifyTimes);
        Assert.Equal(0, h.Reporter.Observations(Ssid).Count);
    }

    [Fact]
    public void Observe_composite_notifies_all_paths_when_one_changes_and_is_cancelled_by_its_token()
    {
        var h = new ReportingHarness();
        ObserveResult result = h.Reporter.ObserveComposite(Ssid, [Temperature, Alarm], Token, 112, h.Now);
        Assert.Equal(2, result.Values.Count);
        Assert.True(result.Observation!.IsComposite);

        h.SetAt(1, Alarm, Lwm2mValue.FromBoolean(true));

        NotifyAction notify = Assert.Single(h.Notifications).Notify;
        Assert.True(notify.IsComposite);
        Assert.Equal([Temperature, Alarm], notify.Values.Select(v => v.Path));
        Assert.True(((Lwm2mSingleResource)notify.Values[1].Node!).Value.AsBoolean());

        Assert.True(h.Reporter.CancelObservation(Ssid, Token));
        h.SetAt(2, Temperature, Lwm2mValue.FromFloat(1));
        Assert.Single(h.Notifications);
    }

    [Fact]
    public void Observe_composite_with_a_missing_path_is_refused()
    {
        var h = new ReportingHarness();

        ObserveResult result = h.Reporter.ObserveComposite(Ssid, [Temperature, new Lwm2mPath(1, 0, 99)], Token, null, h.Now);

        Assert.Equal(ObserveStatus.NotFound, result.Status);
        Assert.Equal(0, h.Reporter.Observations(Ssid).Count);
    }

    [Fact]
    public void A_new_registration_session_clears_observations_and_stored_notifications()
    {
        var h = new ReportingHarness();
        h.Observe(Temperature);
        h.Reporter.SetServerOnline(Ssid, false);
        h.SetAt(1, Temperature, Lwm2mValue.FromFloat(21));
        Assert.Equal(1, h.Reporter.StoredCount(Ssid));

        h.Reporter.OnRegistrationSessionStarted(Ssid);
        h.SetAt(2, Temperature, Lwm2mValue.FromFloat(22));

        Assert.Equal(0, h.Reporter.Observations(Ssid).Count);
        Assert.Equal(0, h.Reporter.StoredCount(Ssid));
        Assert.True(h.Reporter.IsOnline(Ssid));
        Assert.Empty(h.Taken);
    }

    [Fact]
    public void A_deleted_single_path_is_notified_once_without_a_value_and_the_observation_ends()
    {
        var h = new ReportingHarness();
        h.Observe(Temperature);

        h.RunUntil(1);
        h.Data.Remove(Temperature);
        h.Reporter.OnValueChanged(Temperature, h.Now);
        h.Reporter.Step(h.Now);
        h.Collect();

        Assert.Null(Assert.Single(h.Notifications).Notify.Values[0].Node);
        Assert.Equal(0, h.Reporter.Observations(Ssid).Count);
    }

    [Fact]
    public void Each_server_has_its_own_observations()
    {
        var h = new ReportingHarness();
        h.Reporter.AddServer(new ReportingServerSettings(202));
        h.Observe(Temperature);
        h.Reporter.Observe(202, Temperature, [9], null, h.Now);

        h.Reporter.CancelObservation(202, [9]);
        h.SetAt(1, Temperature, Lwm2mValue.FromFloat(21));

        Assert.Equal([(ushort)Ssid], h.Notifications.Select(n => n.Notify.ShortServerId));
    }

    [Fact]
    public void An_unknown_server_is_a_usage_error()
    {
        var h = new ReportingHarness();

        Assert.Throws<InvalidOperationException>(() => h.Reporter.Observe(999, Temperature, Token, null, h.Now));
    }

    [Fact]
    public void Without_observations_the_reporter_never_needs_to_wake()
    {
        var h = new ReportingHarness();

        Assert.Null(h.Reporter.NextWakeUp);
        h.Write("pmax=10", Temperature);
        h.Observe(Temperature);
        Assert.Equal(At(10), h.Reporter.NextWakeUp);
        Assert.True(h.Reporter.RemoveServer(Ssid));
        Assert.Null(h.Reporter.NextWakeUp);
    }
}
