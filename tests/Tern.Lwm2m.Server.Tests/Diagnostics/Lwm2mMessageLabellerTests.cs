using Tern.Coap.Diagnostics;
using Tern.Coap.Endpoint;
using Tern.Coap.Messages;
using Tern.Coap.Timing;
using Tern.Coap.Transport;
using Tern.Coap.Transport.Virtual;
using Tern.Lwm2m.Formats;
using Tern.Lwm2m.Model;
using Tern.Lwm2m.Formats.LinkFormat;
using Tern.Lwm2m.Server.Bootstrap;
using Tern.Lwm2m.Server.Operations;

namespace Tern.Lwm2m.Server.Diagnostics;

public class Lwm2mMessageLabellerTests
{
    [Fact]
    public async Task Every_device_management_request_the_Tern_server_builds_is_named_with_its_path()
    {
        await using LabelledServerFixture fixture = await LabelledServerFixture.StartAsync();
        Lwm2mServer server = fixture.Server;
        CoapResponse registered = await fixture.ClientSendsAsync(server.LocalEndPoint, ServerFixture.Register("ep=dev1&lt=300&lwm2m=1.1&b=U", "</1/0>,</3/0>,</3303>"));
        string location = "/" + string.Join('/', registered.Message.GetOptions(CoapOptionNumber.LocationPath).Select(o => o.GetString()));
        Lwm2mPath battery = Lwm2mPath.Parse("/3/0/9");

        await fixture.RunAsync(server.ReadAsync("dev1", battery));
        await fixture.RunAsync(server.WriteAsync("dev1", Lwm2mPath.Parse("/1/0/1"), new Lwm2mSingleResource(1, Lwm2mValue.FromInteger(600))));
        await fixture.RunAsync(server.WriteAsync("dev1", Lwm2mPath.Parse("/1/0"), new Lwm2mObjectInstance(0, [new Lwm2mSingleResource(1, Lwm2mValue.FromInteger(600))]), Lwm2mWriteMode.PartialUpdate));
        await fixture.RunAsync(server.ExecuteAsync("dev1", Lwm2mPath.Parse("/3/0/4")));
        await fixture.RunAsync(server.CreateAsync("dev1", Lwm2mPath.Parse("/3303"), new Lwm2mObjectInstance(0, [new Lwm2mSingleResource(5700, Lwm2mValue.FromFloat(21.5))])));
        await fixture.RunAsync(server.DeleteAsync("dev1", Lwm2mPath.Parse("/3303/0")));
        await fixture.RunAsync(server.DiscoverAsync("dev1", Lwm2mPath.Parse("/3/0")));
        await fixture.RunAsync(server.WriteAttributesAsync("dev1", battery, new Lwm2mAttributes { MinimumPeriod = 10 }));
        ObserveResult observed = await fixture.RunAsync(server.ObserveAsync("dev1", battery));
        Assert.NotNull(observed.Observation);
        await fixture.RunAsync(observed.Observation.CancelAsync(active: true).ContinueWith(_ => true, TaskScheduler.Default));
        await fixture.RunAsync(server.ReadCompositeAsync("dev1", [battery, Lwm2mPath.Parse("/1/0/1")]));
        await fixture.RunAsync(server.WriteCompositeAsync("dev1", [new Lwm2mRecord(Lwm2mPath.Parse("/1/0/1"), Lwm2mValue.FromInteger(900))]));
        await fixture.ClientSendsAsync(server.LocalEndPoint, new CoapMessage { Type = CoapMessageType.Confirmable, Code = CoapCode.Post }.SetUriPath(location));
        await fixture.ClientSendsAsync(server.LocalEndPoint, new CoapMessage { Type = CoapMessageType.Confirmable, Code = CoapCode.Post, ContentFormat = Lwm2mContentFormat.SenmlCbor }.SetUriPath("/dp"));
        await fixture.ClientSendsAsync(server.LocalEndPoint, new CoapMessage { Type = CoapMessageType.Confirmable, Code = CoapCode.Delete }.SetUriPath(location));

        Assert.Equal(
            [
                "Register /rd?ep=dev1&lt=300&lwm2m=1.1&b=U",
                "Read /3/0/9",
                "Write /1/0/1",
                "Write (partial update) /1/0",
                "Execute /3/0/4",
                "Create /3303",
                "Delete /3303/0",
                "Discover /3/0",
                "Write-Attributes /3/0/9?pmin=10",
                "Observe /3/0/9",
                "Cancel Observation /3/0/9",
                "Read-Composite",
                "Write-Composite",
                $"Update {location}",
                "Send /dp",
                $"De-register {location}",
            ],
            fixture.RequestLabels());
        IReadOnlyList<string> all = fixture.Labels();
        Assert.Equal($"2.01 Created {location}", all[1]);
        Assert.Equal("2.05 Content", all[3]);
        Assert.Equal("2.02 Deleted", all[^1]);
    }

    [Fact]
    public async Task The_bootstrap_servers_requests_are_named_as_the_bootstrap_interface()
    {
        await using LabelledServerFixture fixture = await LabelledServerFixture.StartAsync();
        await fixture.Bootstrap.Store.SetAsync("dev1", BootstrapConfiguration.ForServer("coap://127.0.0.1:5683", 101, TimeSpan.FromMinutes(5)) with { Discover = true });
        var ended = new TaskCompletionSource<BootstrapSessionEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        fixture.Bootstrap.SessionEnded += (_, e) => ended.TrySetResult(e);
        var request = new CoapMessage { Type = CoapMessageType.Confirmable, Code = CoapCode.Post }.SetUriPath("/bs");
        request.AddOption(CoapOption.FromString(CoapOptionNumber.UriQuery, "ep=dev1"));

        await fixture.ClientSendsAsync(fixture.Bootstrap.LocalEndPoint, request);
        BootstrapSessionEventArgs session = await fixture.RunAsync(ended.Task);

        Assert.True(session.Success, session.Failure);
        Assert.Equal(
            [
                "Bootstrap-Request /bs?ep=dev1",
                "2.04 Changed",
                "Bootstrap-Discover /",
                "2.05 Content",
                "Bootstrap-Delete /",
                "2.02 Deleted",
                .. session.Steps.Where(s => s.Operation == "Write").SelectMany(s => new[] { $"Bootstrap-Write {s.Path}", "2.04 Changed" }),
                "Bootstrap-Finish /bs",
                "2.04 Changed",
            ],
            fixture.Labels());
    }

    [Theory]
    [InlineData("FETCH", "", 0u, null, false, "Observe-Composite")]
    [InlineData("FETCH", "", 1u, null, false, "Cancel Observation-Composite")]
    [InlineData("FETCH", "", null, null, false, "Read-Composite")]
    [InlineData("iPATCH", "", null, null, false, "Write-Composite")]
    [InlineData("GET", "/1", null, null, true, "Bootstrap-Read")]
    [InlineData("GET", "/1", null, null, false, "Read")]
    [InlineData("GET", "/", null, 40u, true, "Bootstrap-Discover")]
    [InlineData("GET", "/bspack", null, null, false, "Bootstrap-Pack-Request")]
    [InlineData("PUT", "/0/1", null, null, true, "Bootstrap-Write")]
    [InlineData("DELETE", "/0", null, null, true, "Bootstrap-Delete")]
    [InlineData("DELETE", "/", null, null, false, "Bootstrap-Delete")]
    [InlineData("POST", "/bs", null, null, false, "Bootstrap-Finish")]
    [InlineData("GET", "/.well-known/core", null, null, false, null)]
    [InlineData("POST", "/firmware/upload", null, null, false, null)]
    [InlineData("GET", "/3/0/9/0/1", null, null, false, null)]
    public void Requests_built_per_the_transport_binding_are_named(string method, string path, uint? observe, uint? accept, bool bootstrap, string? expected)
    {
        var request = new CoapMessage
        {
            Type = CoapMessageType.Confirmable,
            Code = method switch { "GET" => CoapCode.Get, "PUT" => CoapCode.Put, "POST" => CoapCode.Post, "DELETE" => CoapCode.Delete, "FETCH" => CoapCode.Fetch, _ => CoapCode.IPatch },
            Observe = observe,
        }.SetUriPath(path);
        if (accept is { } format)
        {
            request.AddOption(CoapOption.FromUInt(CoapOptionNumber.Accept, format));
        }

        Assert.Equal(expected, Lwm2mMessageLabeller.Operation(request, bootstrap));
    }

    [Fact]
    public async Task Notifications_pings_resets_and_retransmissions_are_named()
    {
        var clock = new VirtualTimeProvider();
        await using var network = new VirtualNetwork(clock);
        var recorder = new CoapMessageRecorder(clock);
        VirtualCoapTransport client = network.CreateTransport();
        await using RecordingCoapTransport server = recorder.Wrap(network.CreateTransport());
        byte[] token = [0x33];
        byte[] buffer = new byte[512];
        async Task ClientSends(CoapMessage message)
        {
            await client.SendAsync(server.LocalEndPoint, CoapMessageCodec.Encode(message));
            await server.ReceiveAsync(buffer);
        }

        await server.SendAsync(client.LocalEndPoint, CoapMessageCodec.Encode(new CoapMessage { Type = CoapMessageType.Confirmable, Code = CoapCode.Get, MessageId = 1, Token = token, Observe = 0 }.SetUriPath("/3303/0/5700")));
        await ClientSends(new CoapMessage { Type = CoapMessageType.Acknowledgement, Code = CoapCode.Content, MessageId = 1, Token = token, Observe = 1 });
        var notify = new CoapMessage { Type = CoapMessageType.NonConfirmable, Code = CoapCode.Content, MessageId = 90, Token = token, Observe = 2 };
        await ClientSends(notify);
        await ClientSends(notify);
        await ClientSends(new CoapMessage { Type = CoapMessageType.Confirmable, MessageId = 91 });
        await server.SendAsync(client.LocalEndPoint, CoapMessageCodec.Encode(new CoapMessage { Type = CoapMessageType.Reset, MessageId = 91 }));
        await ClientSends(new CoapMessage { Type = CoapMessageType.Confirmable, Code = CoapCode.Get, MessageId = 92 }.SetUriPath("/.well-known/core"));
        await server.SendAsync(client.LocalEndPoint, new byte[] { 0x01 });

        var labeller = new Lwm2mMessageLabeller();
        Assert.Equal(
            [
                "Observe /3303/0/5700",
                "2.05 Content",
                "Notify /3303/0/5700",
                "Notify /3303/0/5700 (retransmission)",
                "Ping",
                "RST",
                "CON GET /.well-known/core",
                "undecodable 1 B (TruncatedHeader)",
            ],
            recorder.Entries.Select(labeller.Label));
    }

    [Fact]
    public async Task Bootstrap_names_end_with_the_answer_to_Bootstrap_Finish()
    {
        var clock = new VirtualTimeProvider();
        await using var network = new VirtualNetwork(clock);
        var recorder = new CoapMessageRecorder(clock);
        VirtualCoapTransport client = network.CreateTransport();
        await using RecordingCoapTransport server = recorder.Wrap(network.CreateTransport());
        byte[] buffer = new byte[512];
        ushort id = 1;
        async Task Exchange(CoapMessage request, bool fromClient, CoapCode answer)
        {
            request.MessageId = id++;
            request.Token = new byte[] { (byte)id };
            var response = new CoapMessage { Type = CoapMessageType.Acknowledgement, Code = answer, MessageId = request.MessageId, Token = request.Token };
            if (fromClient)
            {
                await client.SendAsync(server.LocalEndPoint, CoapMessageCodec.Encode(request));
                await server.ReceiveAsync(buffer);
                await server.SendAsync(client.LocalEndPoint, CoapMessageCodec.Encode(response));
            }
            else
            {
                await server.SendAsync(client.LocalEndPoint, CoapMessageCodec.Encode(request));
                await client.SendAsync(server.LocalEndPoint, CoapMessageCodec.Encode(response));
                await server.ReceiveAsync(buffer);
            }
        }

        CoapMessage Request(CoapCode code, string path) => new CoapMessage { Type = CoapMessageType.Confirmable, Code = code }.SetUriPath(path);
        CoapMessage bootstrapRequest = Request(CoapCode.Post, "/bs");
        bootstrapRequest.AddOption(CoapOption.FromString(CoapOptionNumber.UriQuery, "ep=dev1"));
        await Exchange(Request(CoapCode.Put, "/0/1"), fromClient: false, CoapCode.Changed);
        await Exchange(bootstrapRequest, fromClient: true, CoapCode.Changed);
        await Exchange(Request(CoapCode.Put, "/0/1"), fromClient: false, CoapCode.Changed);
        await Exchange(Request(CoapCode.Get, "/1"), fromClient: false, CoapCode.Content);
        await Exchange(Request(CoapCode.Post, "/bs"), fromClient: false, CoapCode.Changed);
        await Exchange(Request(CoapCode.Put, "/0/1"), fromClient: false, CoapCode.Changed);

        var labeller = new Lwm2mMessageLabeller();
        Assert.Equal(
            ["Write /0/1", "Bootstrap-Request /bs?ep=dev1", "Bootstrap-Write /0/1", "Bootstrap-Read /1", "Bootstrap-Finish /bs", "Write /0/1"],
            recorder.Entries.Select(labeller.Label).Where(label => !label.StartsWith("2.", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_server_chart_names_the_client_by_its_endpoint_and_the_servers_by_role()
    {
        await using LabelledServerFixture fixture = await LabelledServerFixture.StartAsync();
        await fixture.ClientSendsAsync(fixture.Server.LocalEndPoint, ServerFixture.Register("ep=dev1&lt=300", "</3/0>"));
        fixture.Recorder.AddNote(fixture.Server.LocalEndPoint, "dev1 registered");
        await fixture.RunAsync(fixture.Server.ReadAsync("dev1", Lwm2mPath.Parse("/3/0/9")));

        string chart = Lwm2mSequenceChart.Render(fixture.Recorder);

        CoapPeer client = fixture.Client.Address;
        string location = fixture.Labels()[1]["2.01 Created ".Length..];
        Assert.Equal(
            $"""
            sequenceDiagram
                participant P1 as Client (dev1)
                participant P2 as Server {fixture.Server.LocalEndPoint}
                P1->>P2: Register /rd?ep=dev1#amp;lt=300
                P2-->>P1: 2.01 Created {location}
                Note over P2: dev1 registered
                P2->>P1: Read /3/0/9
                P1-->>P2: 2.05 Content

            """.ReplaceLineEndings("\n"),
            chart);
        Assert.NotEqual(client, fixture.Server.LocalEndPoint);
    }
}
