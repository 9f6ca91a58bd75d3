using Tern.Coap.Diagnostics;
using Tern.Coap.Endpoint;
using Tern.Coap.Messages;
using Tern.Coap.Timing;
using Tern.Coap.Transport;
using Tern.Coap.Transport.Virtual;

namespace Tern.Coap.Tests.Diagnostics;

public class MermaidSequenceChartTests
{
    [Fact]
    public async Task A_client_side_recording_renders_as_requests_solid_answers_dashed_and_notes_over_the_client()
    {
        var clock = new VirtualTimeProvider();
        await using var network = new VirtualNetwork(clock);
        var recorder = new CoapMessageRecorder(clock);
        VirtualCoapTransport server = network.CreateTransport();
        await using RecordingCoapTransport client = recorder.Wrap(network.CreateTransport());
        var register = new CoapMessage { Type = CoapMessageType.Confirmable, Code = CoapCode.Post, MessageId = 1, Token = new byte[] { 0x0A } }.SetUriPath("/rd");
        register.AddOption(CoapOption.FromString(CoapOptionNumber.UriQuery, "ep=dev1")).AddOption(CoapOption.FromString(CoapOptionNumber.UriQuery, "lt=300"));

        await client.SendAsync(server.LocalEndPoint, CoapMessageCodec.Encode(register));
        clock.Advance(TimeSpan.FromMilliseconds(500));
        await server.SendAsync(client.LocalEndPoint, CoapMessageCodec.Encode(new CoapMessage { Type = CoapMessageType.Acknowledgement, Code = CoapCode.Created, MessageId = 1, Token = new byte[] { 0x0A } }));
        await client.ReceiveAsync(new byte[256]);
        client.AddNote("Registered");

        string chart = MermaidSequenceChart.Render(recorder, new MermaidChartOptions
        {
            ShowTime = true,
            ParticipantName = (peer, isLocal) => isLocal ? "Client dev1" : $"Server {peer}",
        });

        Assert.Equal(
            """
            sequenceDiagram
                participant P1 as Client dev1
                participant P2 as Server 10.0.0.1:5683
                P1->>P2: [0.000s] CON POST /rd?ep=dev1#amp;lt=300
                P2-->>P1: [0.500s] ACK 2.01 Created
                Note over P1: [0.500s] Registered

            """.ReplaceLineEndings("\n"),
            chart);
    }

    [Fact]
    public async Task With_both_ends_recorded_each_datagram_is_drawn_once_and_a_lost_one_ends_in_a_cross()
    {
        await using RecordingFixture fixture = await RecordingFixture.StartAsync(new ContentHandler());
        fixture.Network.Partition(fixture.Client.LocalEndPoint, fixture.Server.LocalEndPoint);
        Task<CoapResponse> exchange = fixture.Client.SendAsync(fixture.Server.LocalEndPoint, new CoapMessage { Type = CoapMessageType.Confirmable, Code = CoapCode.Get }.SetUriPath("/sensors/temp"));
        await fixture.Network.SettleAsync();
        fixture.Network.HealAll();
        await fixture.RunAsync(exchange);

        string chart = MermaidSequenceChart.Render(fixture.Recorder);

        Assert.Equal(
            """
            sequenceDiagram
                participant P1 as Endpoint 10.0.0.2:5683
                participant P2 as Endpoint 10.0.0.1:5683
                P1-xP2: CON GET /sensors/temp (lost)
                P1->>P2: CON GET /sensors/temp (retransmission)
                P2-->>P1: ACK 2.05 Content

            """.ReplaceLineEndings("\n"),
            chart);
    }

    [Fact]
    public async Task Notifications_are_drawn_solid_and_their_retransmissions_marked()
    {
        var clock = new VirtualTimeProvider();
        await using var network = new VirtualNetwork(clock);
        var recorder = new CoapMessageRecorder(clock);
        VirtualCoapTransport device = network.CreateTransport();
        await using RecordingCoapTransport observer = recorder.Wrap(network.CreateTransport());
        byte[] token = [0x01, 0x02];
        var observe = new CoapMessage { Type = CoapMessageType.Confirmable, Code = CoapCode.Get, MessageId = 7, Token = token, Observe = 0 }.SetUriPath("/3/0/9");
        var first = new CoapMessage { Type = CoapMessageType.Acknowledgement, Code = CoapCode.Content, MessageId = 7, Token = token, Observe = 5 };
        var notification = new CoapMessage { Type = CoapMessageType.Confirmable, Code = CoapCode.Content, MessageId = 300, Token = token, Observe = 6 };
        byte[] buffer = new byte[256];

        await observer.SendAsync(device.LocalEndPoint, CoapMessageCodec.Encode(observe));
        await device.SendAsync(observer.LocalEndPoint, CoapMessageCodec.Encode(first));
        await observer.ReceiveAsync(buffer);
        await device.SendAsync(observer.LocalEndPoint, CoapMessageCodec.Encode(notification));
        await observer.ReceiveAsync(buffer);
        await observer.SendAsync(device.LocalEndPoint, CoapMessageCodec.Encode(new CoapMessage { Type = CoapMessageType.Acknowledgement, MessageId = 300 }));
        await device.SendAsync(observer.LocalEndPoint, CoapMessageCodec.Encode(notification));
        await observer.ReceiveAsync(buffer);
        await observer.SendAsync(device.LocalEndPoint, CoapMessageCodec.Encode(new CoapMessage { Type = CoapMessageType.Reset, MessageId = 300 }));

        string chart = MermaidSequenceChart.Render(recorder, new MermaidChartOptions { Title = "Observe; then cancel" });

        Assert.Equal(
            """
            sequenceDiagram
                title Observe#59; then cancel
                participant P1 as Endpoint 10.0.0.2:5683
                participant P2 as Peer 10.0.0.1:5683
                P1->>P2: CON GET /3/0/9 observe=0
                P2-->>P1: ACK 2.05 Content
                P2->>P1: CON 2.05 Content notification 6
                P1-->>P2: ACK
                P2->>P1: CON 2.05 Content notification 6 (retransmission)
                P1-->>P2: RST

            """.ReplaceLineEndings("\n"),
            chart);
    }

    [Fact]
    public void Dropped_entries_are_mentioned_in_a_comment()
    {
        var recorder = new CoapMessageRecorder(new VirtualTimeProvider(), new CoapMessageRecorderOptions { Capacity = 1 });
        var over = new CoapPeer(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 5683));
        recorder.AddNote(over, "Bootstrapping");
        recorder.AddNote(over, "Registered");

        Assert.Equal(
            """
            sequenceDiagram
                participant P1 as Endpoint 127.0.0.1:5683
                %% 1 earlier entries were not kept (recorder capacity)
                Note over P1: Registered

            """.ReplaceLineEndings("\n"),
            MermaidSequenceChart.Render(recorder));
    }

    [Fact]
    public async Task Writing_a_file_replaces_it_whole_and_leaves_no_temporary_file()
    {
        string directory = Directory.CreateTempSubdirectory("tern-msc-").FullName;
        try
        {
            string path = Path.Combine(directory, "chart.mmd");
            await File.WriteAllTextAsync(path, "an older, much longer chart that must disappear entirely");
            var recorder = new CoapMessageRecorder(new VirtualTimeProvider());
            recorder.AddNote(new CoapPeer(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 5683)), "Started");

            await MermaidSequenceChart.WriteFileAsync(path, recorder);

            Assert.Equal(MermaidSequenceChart.Render(recorder), await File.ReadAllTextAsync(path));
            Assert.Equal(["chart.mmd"], Directory.GetFiles(directory).Select(Path.GetFileName));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
