using System.Buffers;
using Tern.Lwm2m.Client.Reporting;
using Tern.Lwm2m.Definitions;
using Tern.Lwm2m.Formats;
using Tern.Lwm2m.Model;
using static Tern.Lwm2m.Client.Tests.Reporting.ReportingHarness;

namespace Tern.Lwm2m.Client.Tests.Reporting;

public class ReportPayloadTests
{
    private static readonly IObjectDefinitionProvider Model = new ObjectDefinitionRegistry();

    private static ILwm2mContentCodec Codec(ushort format) =>
        Lwm2mContentFormatRegistry.Default.TryGet(format, out ILwm2mContentCodec? codec) ? codec : throw new InvalidOperationException();

    private static byte[] Encode(ReportingAction action, ushort format)
    {
        var output = new ArrayBufferWriter<byte>();
        Assert.Null(ReportPayload.Encode(action, Codec(format), output));
        return output.WrittenSpan.ToArray();
    }

    private static NotifyAction NotifyOnChange(ReportingHarness h, Func<Lwm2mReporter, ObserveResult> observe, Lwm2mPath path, Lwm2mValue value)
    {
        Assert.Equal(ObserveStatus.Observing, observe(h.Reporter).Status);
        h.SetAt(7, path, value);
        return Assert.Single(h.Notifications).Notify;
    }

    [Fact]
    public void A_single_path_notification_is_the_node_in_the_requested_format()
    {
        var h = new ReportingHarness();
        NotifyAction notify = NotifyOnChange(h, r => r.Observe(Ssid, Temperature, Token, Lwm2mContentFormat.Text, h.Now), Temperature, Lwm2mValue.FromFloat(21.5));

        Assert.Equal("21.5"u8.ToArray(), Encode(notify, Lwm2mContentFormat.Text));
    }

    [Fact]
    public void A_composite_notification_is_untimed_records()
    {
        var h = new ReportingHarness();
        NotifyAction notify = NotifyOnChange(h, r => r.ObserveComposite(Ssid, [Temperature, Alarm], Token, Lwm2mContentFormat.SenmlCbor, h.Now), Alarm, Lwm2mValue.FromBoolean(true));

        byte[] payload = Encode(notify, Lwm2mContentFormat.SenmlCbor);

        IReadOnlyList<Lwm2mRecord> records = Codec(Lwm2mContentFormat.SenmlCbor).DecodeRecords(payload, Model).Value!;
        Assert.Equal([new Lwm2mRecord(Temperature, Lwm2mValue.FromFloat(20)), new Lwm2mRecord(Alarm, Lwm2mValue.FromBoolean(true))], records);
    }

    [Fact]
    public void A_stored_notification_in_senml_carries_the_time_its_value_was_read()
    {
        var h = new ReportingHarness();
        h.Reporter.Observe(Ssid, Temperature, Token, Lwm2mContentFormat.SenmlJson, h.Now);
        h.Reporter.SetServerOnline(Ssid, false);
        h.SetAt(7, Temperature, Lwm2mValue.FromFloat(22));
        h.RunUntil(100);
        Assert.Empty(h.Taken);
        h.Reporter.SetServerOnline(Ssid, true);
        h.Collect();
        NotifyAction stored = Assert.Single(h.Notifications).Notify;

        byte[] payload = Encode(stored, Lwm2mContentFormat.SenmlJson);

        Assert.True(stored.WasStored);
        Assert.Equal([new Lwm2mRecord(Temperature, Lwm2mValue.FromFloat(22), At(7))], Codec(Lwm2mContentFormat.SenmlJson).DecodeRecords(payload, Model).Value!);
    }

    [Fact]
    public void A_notification_with_time_series_carries_the_entries_and_the_other_values_timed_now()
    {
        var h = new ReportingHarness();
        h.Reporter.Cache.Enable(Temperature, 8);
        h.Reporter.ObserveComposite(Ssid, [Temperature, Alarm], Token, Lwm2mContentFormat.SenmlCbor, h.Now);
        h.RunUntil(3);
        h.Reporter.RecordValue(Temperature, Lwm2mValue.FromFloat(23), h.Now);
        h.Data.Set(Temperature, Lwm2mValue.FromFloat(23));
        h.RunUntil(3);
        NotifyAction notify = Assert.Single(h.Notifications).Notify;

        List<Lwm2mRecord> records = ReportPayload.ToRecords(notify);
        byte[] payload = Encode(notify, Lwm2mContentFormat.SenmlCbor);

        Lwm2mRecord[] expected = [new(Alarm, Lwm2mValue.FromBoolean(false), At(3)), new(Temperature, Lwm2mValue.FromFloat(23), At(3))];
        Assert.Equal(expected, records.OrderBy(r => r.Path));
        Assert.Equal(expected, Codec(Lwm2mContentFormat.SenmlCbor).DecodeRecords(payload, Model).Value!.OrderBy(r => r.Path));
    }

    [Fact]
    public void A_send_encodes_its_records_in_senml_cbor()
    {
        var h = new ReportingHarness();
        h.RunUntil(60);
        SendAction send = h.Reporter.RequestSend(Ssid, [Temperature, Alarm], h.Now).Action!;

        byte[] payload = Encode(send, send.ContentFormat);

        Assert.Equal(send.Records, Codec(Lwm2mContentFormat.SenmlCbor).DecodeRecords(payload, Model).Value!);
    }

    [Fact]
    public void A_vanished_path_cannot_be_encoded_and_says_why()
    {
        var h = new ReportingHarness();
        h.Observe(Temperature);
        h.Data.Remove(Temperature);
        h.Reporter.OnValueChanged(Temperature, h.Now);
        h.RunUntil(1);
        NotifyAction notify = Assert.Single(h.Notifications).Notify;

        Lwm2mCodecError? error = ReportPayload.Encode(notify, Codec(Lwm2mContentFormat.SenmlCbor), new ArrayBufferWriter<byte>());

        Assert.Equal("4.04", error!.SuggestedCoapCode);
    }
}
