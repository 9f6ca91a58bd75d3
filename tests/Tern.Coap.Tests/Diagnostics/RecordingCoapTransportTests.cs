using Tern.Coap.Diagnostics;
using Tern.Coap.Endpoint;
using Tern.Coap.Messages;
using Tern.Coap.Timing;
using Tern.Coap.Transport;
using Tern.Coap.Transport.Virtual;

namespace Tern.Coap.Tests.Diagnostics;

public class RecordingCoapTransportTests
{
    private const string Server = "10.0.0.1:5683";
    private const string Client = "10.0.0.2:5683";

    [Fact]
    public async Task Both_ends_record_a_lost_request_its_retransmission_and_the_piggybacked_answer_in_order()
    {
        await using RecordingFixture fixture = await RecordingFixture.StartAsync(new ContentHandler());
        fixture.Network.Partition(fixture.Client.LocalEndPoint, fixture.Server.LocalEndPoint);
        Task<CoapResponse> exchange = fixture.Client.SendAsync(fixture.Server.LocalEndPoint, new CoapMessage { Type = CoapMessageType.Confirmable, Code = CoapCode.Get }.SetUriPath("/sensors/temp"));
        await fixture.Network.SettleAsync();
        fixture.Network.HealAll();

        CoapResponse response = await fixture.RunAsync(exchange);

        Assert.Equal(CoapCode.Content, response.Code);
        Assert.Equal(
            [
                $"Sent {Client} {Server} CON GET /sensors/temp @0",
                $"Sent {Client} {Server} CON GET /sensors/temp (retransmission) @2",
                $"Received {Server} {Client} CON GET /sensors/temp @2",
                $"Sent {Server} {Client} ACK 2.05 Content @2",
                $"Received {Client} {Server} ACK 2.05 Content @2",
            ],
            fixture.Lines());
        IReadOnlyList<CoapTraceEntry> entries = fixture.Recorder.Entries;
        Assert.Equal(entries[0].Message!.MessageId, entries[1].Message!.MessageId);
        Assert.Equal(entries[0].Message!.MessageId, entries[3].Message!.MessageId);
        Assert.Equal([1L, 2, 3, 4, 5], entries.Select(e => e.Sequence));
        Assert.Equal("/sensors/temp", entries[4].Request!.UriPath);
    }

    [Fact]
    public async Task A_request_the_peer_sends_twice_is_answered_and_recorded_twice_with_the_repeat_marked()
    {
        await using RecordingFixture fixture = await RecordingFixture.StartAsync(new ContentHandler());
        // The answer is lost once, so the client retransmits and the server answers again from its cache.
        fixture.Network.SetLinkConditions(fixture.Server.LocalEndPoint, fixture.Client.LocalEndPoint, new VirtualLinkConditions { LossProbability = 1 });
        Task<CoapResponse> exchange = fixture.Client.SendAsync(fixture.Server.LocalEndPoint, new CoapMessage { Type = CoapMessageType.Confirmable, Code = CoapCode.Get }.SetUriPath("/a"));
        await fixture.Network.SettleAsync();
        fixture.Network.ClearLinkConditions(fixture.Server.LocalEndPoint, fixture.Client.LocalEndPoint);

        await fixture.RunAsync(exchange);

        Assert.Equal(
            [
                $"Sent {Client} {Server} CON GET /a @0",
                $"Received {Server} {Client} CON GET /a @0",
                $"Sent {Server} {Client} ACK 2.05 Content @0",
                $"Sent {Client} {Server} CON GET /a (retransmission) @2",
                $"Received {Server} {Client} CON GET /a (retransmission) @2",
                $"Sent {Server} {Client} ACK 2.05 Content (retransmission) @2",
                $"Received {Client} {Server} ACK 2.05 Content @2",
            ],
            fixture.Lines());
    }

    [Theory]
    [InlineData(new byte[] { 0x40 }, CoapFormatError.TruncatedHeader)]
    [InlineData(new byte[] { 0x80, 0x01, 0x00, 0x01 }, CoapFormatError.UnsupportedVersion)]
    [InlineData(new byte[] { 0x41, 0x01, 0x00, 0x01 }, CoapFormatError.TruncatedToken)]
    [InlineData(new byte[] { 0x40, 0x01, 0x00, 0x01, 0xFF }, CoapFormatError.PayloadMarkerWithoutPayload)]
    public async Task Bytes_that_are_not_CoAP_are_recorded_as_undecodable_and_passed_on(byte[] datagram, CoapFormatError expected)
    {
        var clock = new VirtualTimeProvider();
        await using var network = new VirtualNetwork(clock);
        var recorder = new CoapMessageRecorder(clock);
        VirtualCoapTransport sender = network.CreateTransport();
        await using RecordingCoapTransport receiver = recorder.Wrap(network.CreateTransport());

        await sender.SendAsync(receiver.LocalEndPoint, datagram);
        byte[] buffer = new byte[64];
        CoapDatagram received = await receiver.ReceiveAsync(buffer);

        Assert.Equal(datagram, buffer[..received.Length]);
        CoapTraceEntry entry = Assert.Single(recorder.Entries);
        Assert.True(entry.IsUndecodable);
        Assert.Null(entry.Message);
        Assert.Equal(expected, entry.FormatError);
        Assert.Equal(datagram, entry.Datagram.ToArray());
        Assert.Equal($"undecodable {datagram.Length} B ({expected})", CoapMessageLabels.Describe(entry));
    }

    [Fact]
    public async Task An_endpoint_on_a_recording_transport_still_answers_after_a_bad_datagram()
    {
        await using RecordingFixture fixture = await RecordingFixture.StartAsync(new ContentHandler());
        VirtualCoapTransport rogue = fixture.Network.CreateTransport();
        await rogue.SendAsync(fixture.Server.LocalEndPoint, new byte[] { 0xFF, 0xFF });

        CoapResponse response = await fixture.RunAsync(fixture.Client.SendAsync(fixture.Server.LocalEndPoint, new CoapMessage { Type = CoapMessageType.Confirmable, Code = CoapCode.Get }.SetUriPath("/a")));

        Assert.Equal(CoapCode.Content, response.Code);
        Assert.Equal(CoapFormatError.TruncatedHeader, Assert.Single(fixture.Recorder.Entries, e => e.IsUndecodable).FormatError);
        Assert.Equal(5, fixture.Recorder.Entries.Count);
        await rogue.DisposeAsync();
    }

    [Fact]
    public void The_recorder_keeps_only_its_capacity_of_newest_entries_and_counts_the_rest()
    {
        var clock = new VirtualTimeProvider();
        var recorder = new CoapMessageRecorder(clock, new CoapMessageRecorderOptions { Capacity = 3 });
        var over = new CoapPeer(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 5683));

        for (int i = 1; i <= 5; i++)
        {
            recorder.AddNote(over, $"note {i}");
        }

        Assert.Equal(["note 3", "note 4", "note 5"], recorder.Entries.Select(e => e.Note));
        Assert.Equal([3L, 4, 5], recorder.Entries.Select(e => e.Sequence));
        Assert.Equal(2, recorder.DroppedCount);
    }

    [Fact]
    public async Task Messages_beyond_the_capacity_push_out_the_oldest()
    {
        await using RecordingFixture fixture = await RecordingFixture.StartAsync(new ContentHandler(), new CoapMessageRecorderOptions { Capacity = 2 });

        for (int i = 0; i < 3; i++)
        {
            await fixture.RunAsync(fixture.Client.SendAsync(fixture.Server.LocalEndPoint, new CoapMessage { Type = CoapMessageType.Confirmable, Code = CoapCode.Get }.SetUriPath($"/r{i}")));
        }

        Assert.Equal([$"Sent {Server} {Client} ACK 2.05 Content @0", $"Received {Client} {Server} ACK 2.05 Content @0"], fixture.Lines());
        Assert.Equal(10, fixture.Recorder.DroppedCount);
        Assert.Equal("/r2", fixture.Recorder.Entries[1].Request!.UriPath);
    }

    [Fact]
    public void A_blank_note_is_refused()
    {
        var recorder = new CoapMessageRecorder();
        var over = new CoapPeer(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 5683));

        Assert.Throws<ArgumentException>(() => recorder.AddNote(over, "  "));
    }
}
