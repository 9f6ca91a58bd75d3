using Tern.Lwm2m.Client.Reporting;
using Tern.Lwm2m.Model;
using static Tern.Lwm2m.Client.Tests.Reporting.ReportingHarness;

namespace Tern.Lwm2m.Client.Tests.Reporting;

public class SendTests
{
    [Fact]
    public void Send_queues_timestamped_current_values_in_senml_cbor()
    {
        var h = new ReportingHarness();
        h.RunUntil(42);

        SendResult result = h.Reporter.RequestSend(Ssid, [Temperature, Alarm], h.Now);

        Assert.Equal(SendStatus.Queued, result.Status);
        Assert.True(h.Reporter.TryTakeAction(out ReportingAction? action));
        SendAction send = Assert.IsType<SendAction>(action);
        Assert.Same(result.Action, send);
        Assert.Equal((ushort)112, send.ContentFormat);
        Assert.Equal(
            [new Lwm2mRecord(Temperature, Lwm2mValue.FromFloat(20), At(42)), new Lwm2mRecord(Alarm, Lwm2mValue.FromBoolean(false), At(42))],
            send.Records);
    }

    [Fact]
    public void Send_of_an_instance_carries_every_resource_under_it()
    {
        var h = new ReportingHarness();

        SendResult result = h.Reporter.RequestSend(Ssid, [new Lwm2mPath(3303, 0)], h.Now);

        Assert.Equal([Alarm, Temperature, Units], result.Action!.Records.Select(r => r.Path).Order());
    }

    [Fact]
    public void Send_is_refused_while_mute_send_is_on()
    {
        var h = new ReportingHarness(new ReportingServerSettings(Ssid) { MuteSend = true });

        SendResult result = h.Reporter.RequestSend(Ssid, [Temperature], h.Now);

        Assert.Equal(SendStatus.Muted, result.Status);
        Assert.False(result.IsAccepted);
        Assert.Contains("/23", result.Error, StringComparison.Ordinal);
        Assert.Equal(0, h.Reporter.PendingActions);
    }

    [Fact]
    public void Unmuting_send_lets_the_next_send_through()
    {
        var h = new ReportingHarness(new ReportingServerSettings(Ssid) { MuteSend = true });

        h.Reporter.UpdateServer(new ReportingServerSettings(Ssid) { MuteSend = false });

        Assert.Equal(SendStatus.Queued, h.Reporter.RequestSend(Ssid, [Temperature], h.Now).Status);
    }

    [Fact]
    public void Send_of_a_missing_path_sends_nothing()
    {
        var h = new ReportingHarness();

        SendResult result = h.Reporter.RequestSend(Ssid, [Temperature, new Lwm2mPath(3303, 0, 1)], h.Now);

        Assert.Equal(SendStatus.NotFound, result.Status);
        Assert.Equal(0, h.Reporter.PendingActions);
    }

    [Fact]
    public void Send_while_offline_without_storing_is_refused()
    {
        var h = new ReportingHarness(new ReportingServerSettings(Ssid) { NotificationStoring = false });
        h.Reporter.SetServerOnline(Ssid, false);

        Assert.Equal(SendStatus.Offline, h.Reporter.RequestSend(Ssid, [Temperature], h.Now).Status);
        Assert.Equal(0, h.Reporter.StoredCount(Ssid));
    }

    [Fact]
    public void Send_of_a_cached_resource_carries_the_entries_not_sent_before()
    {
        var h = new ReportingHarness();
        h.Reporter.Cache.Enable(Temperature, 10);
        h.Reporter.RecordValue(Temperature, Lwm2mValue.FromFloat(21), At(1));
        h.Reporter.RecordValue(Temperature, Lwm2mValue.FromFloat(22), At(2));

        SendAction first = h.Reporter.RequestSend(Ssid, [Temperature], At(3)).Action!;
        h.Reporter.RecordValue(Temperature, Lwm2mValue.FromFloat(23), At(4));
        SendAction second = h.Reporter.RequestSend(Ssid, [Temperature], At(5)).Action!;
        SendAction third = h.Reporter.RequestSend(Ssid, [Temperature], At(6)).Action!;

        Assert.Equal([(1.0, 21.0), (2.0, 22.0)], first.Records.Select(r => ((r.Timestamp!.Value - Start).TotalSeconds, r.Value!.Value.AsFloat())));
        Assert.Equal([(4.0, 23.0)], second.Records.Select(r => ((r.Timestamp!.Value - Start).TotalSeconds, r.Value!.Value.AsFloat())));
        // Nothing new: the current value, read now (the store's value is still 20 here).
        Assert.Equal([new Lwm2mRecord(Temperature, Lwm2mValue.FromFloat(20), At(6))], third.Records);
    }
}
