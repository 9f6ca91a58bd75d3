using System.Text;
using Tern.Coap.Endpoint;
using Tern.Coap.Messages;
using Tern.Lwm2m.Definitions;
using Tern.Lwm2m.Formats;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Server.Operations;

public class CompositeAndSendTests
{
    private static readonly ObjectDefinitionRegistry Objects = new();

    private static IReadOnlyList<Lwm2mRecord> Decode(ushort format, ReadOnlyMemory<byte> payload)
    {
        Assert.True(Lwm2mContentFormatRegistry.Default.TryGet(format, out ILwm2mContentCodec? codec));
        Lwm2mCodecResult<IReadOnlyList<Lwm2mRecord>> decoded = codec.DecodeRecords(payload.Span, Objects);
        Assert.True(decoded.IsSuccess, decoded.Error?.ToString());
        return decoded.Value!;
    }

    private static async Task<(ServerFixture F, FakeClient Client)> RegisteredAsync(string query, string links, Func<CoapMessage, CoapResponse?>? answer = null)
    {
        ServerFixture f = await ServerFixture.StartAsync();
        FakeClient client = await f.AddClientAsync(answer);
        Assert.Equal(CoapCode.Created, (await f.RunAsync(client.Endpoint.SendAsync(f.Server.LocalEndPoint, ServerFixture.Register(query, links)))).Code);
        return (f, client);
    }

    [Fact]
    public async Task Read_composite_fetches_the_paths_in_senml_json_when_that_is_what_the_client_advertised()
    {
        var (f, client) = await RegisteredAsync("ep=dev&lwm2m=1.1", "</>;rt=\"oma.lwm2m\";ct=110,</3/0>,</1/0>", _ =>
            new CoapResponse(CoapCode.Content, "[{\"n\":\"/3/0/0\",\"vs\":\"Acme\"},{\"n\":\"/1/0/1\",\"v\":300}]"u8.ToArray()) { ContentFormat = Lwm2mContentFormat.SenmlJson });
        await using var _ = f;

        CompositeReadResult result = await f.RunAsync(f.Server.ReadCompositeAsync("dev", [Lwm2mPath.Parse("/3/0/0"), Lwm2mPath.Parse("/1/0/1")]));

        Assert.True(result.IsSuccess, result.ToString());
        Assert.Equal([new Lwm2mRecord(Lwm2mPath.Parse("/3/0/0"), Lwm2mValue.FromString("Acme")), new Lwm2mRecord(Lwm2mPath.Parse("/1/0/1"), Lwm2mValue.FromInteger(300))], result.Records);
        CoapMessage request = Assert.Single(client.Received);
        Assert.Equal(CoapCode.Fetch, request.Code);
        Assert.Equal("/", request.UriPath);
        Assert.Equal(Lwm2mContentFormat.SenmlJson, request.ContentFormat);
        Assert.Equal((uint)Lwm2mContentFormat.SenmlJson, request.GetUIntOption(CoapOptionNumber.Accept));
        Assert.Equal(["/3/0/0", "/1/0/1"], Decode(Lwm2mContentFormat.SenmlJson, request.Payload).Select(r => r.Path.ToString()));
    }

    [Fact]
    public async Task Write_composite_patches_the_root_with_senml_cbor_records()
    {
        var (f, client) = await RegisteredAsync("ep=dev&lwm2m=1.1", "</3/0>,</1/0>", _ => new CoapResponse(CoapCode.Changed));
        await using var _ = f;
        Lwm2mRecord[] records = [new(Lwm2mPath.Parse("/1/0/1"), Lwm2mValue.FromInteger(600)), new(Lwm2mPath.Parse("/3/0/14"), Lwm2mValue.FromString("+02"))];

        Lwm2mResult result = await f.RunAsync(f.Server.WriteCompositeAsync("dev", records));

        Assert.True(result.IsSuccess, result.ToString());
        CoapMessage request = Assert.Single(client.Received);
        Assert.Equal(CoapCode.IPatch, request.Code);
        Assert.Equal(Lwm2mContentFormat.SenmlCbor, request.ContentFormat);
        Assert.Equal(records, Decode(Lwm2mContentFormat.SenmlCbor, request.Payload));
    }

    private static CoapMessage Send(string json) =>
        new CoapMessage { Type = CoapMessageType.Confirmable, Code = CoapCode.Post, ContentFormat = Lwm2mContentFormat.SenmlJson, Payload = Encoding.UTF8.GetBytes(json) }.SetUriPath("/dp");

    [Fact]
    public async Task Send_from_a_registered_client_raises_data_received_with_its_records()
    {
        var (f, client) = await RegisteredAsync("ep=dev&lwm2m=1.1", "</3303/0>");
        await using var _ = f;
        var received = new List<SendEventArgs>();
        f.Server.DataReceived += (_, e) => received.Add(e);

        CoapResponse response = await f.RunAsync(client.Endpoint.SendAsync(f.Server.LocalEndPoint, Send("[{\"bn\":\"/3303/0/\",\"n\":\"5700\",\"v\":21.5,\"t\":1700000000}]")));

        Assert.Equal(CoapCode.Changed, response.Code);
        SendEventArgs e = Assert.Single(received);
        Assert.Equal("dev", e.Registration.Endpoint);
        Lwm2mRecord record = Assert.Single(e.Records);
        Assert.Equal(Lwm2mPath.Parse("/3303/0/5700"), record.Path);
        Assert.Equal(Lwm2mValue.FromFloat(21.5), record.Value);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1700000000), record.Timestamp);
    }

    [Fact]
    public async Task Send_from_an_unregistered_address_or_with_a_bad_payload_is_refused()
    {
        var (f, client) = await RegisteredAsync("ep=dev&lwm2m=1.1", "</3303/0>");
        await using var _ = f;
        FakeClient stranger = await f.AddClientAsync(seed: 12);
        var received = new List<SendEventArgs>();
        f.Server.DataReceived += (_, e) => received.Add(e);

        CoapResponse forbidden = await f.RunAsync(stranger.Endpoint.SendAsync(f.Server.LocalEndPoint, Send("[{\"n\":\"/3303/0/5700\",\"v\":1}]")));
        CoapResponse bad = await f.RunAsync(client.Endpoint.SendAsync(f.Server.LocalEndPoint, Send("[{\"n\":")));
        CoapMessage text = Send("21.5");
        text.ContentFormat = Lwm2mContentFormat.Text;
        CoapResponse unsupported = await f.RunAsync(client.Endpoint.SendAsync(f.Server.LocalEndPoint, text));

        Assert.Equal(CoapCode.Forbidden, forbidden.Code);
        Assert.Equal(CoapCode.BadRequest, bad.Code);
        Assert.False(string.IsNullOrEmpty(bad.PayloadText));
        Assert.Equal(CoapCode.UnsupportedContentFormat, unsupported.Code);
        Assert.Empty(received);
    }

    [Fact]
    public async Task Send_from_a_sleeping_queue_mode_client_releases_the_requests_waiting_for_it()
    {
        ServerFixture f = await ServerFixture.StartAsync(new Lwm2mServerOptions { QueueModeAwakeTime = TimeSpan.FromSeconds(30) });
        await using var _ = f;
        FakeClient client = await f.AddClientAsync(_ => new CoapResponse(CoapCode.Changed));
        await f.RunAsync(client.Endpoint.SendAsync(f.Server.LocalEndPoint, ServerFixture.Register("ep=dev&lwm2m=1.1&Q", "</3/0>")));
        await f.Network.RunForAsync(TimeSpan.FromSeconds(40));
        Task<Lwm2mResult> execute = f.Server.ExecuteAsync("dev", Lwm2mPath.Parse("/3/0/4"), timeout: TimeSpan.FromMinutes(10));
        await f.Network.RunForAsync(TimeSpan.FromSeconds(40));
        Assert.Empty(client.Received);

        await f.RunAsync(client.Endpoint.SendAsync(f.Server.LocalEndPoint, Send("[{\"n\":\"/3/0/9\",\"v\":80}]")));
        Lwm2mResult result = await f.RunAsync(execute);

        Assert.True(result.IsSuccess);
        Assert.Equal("/3/0/4", Assert.Single(client.Received).UriPath);
    }
}
