using System.Text;
using Tern.Coap.Endpoint;
using Tern.Coap.Messages;
using Tern.Lwm2m.Definitions;
using Tern.Lwm2m.Formats;
using Tern.Lwm2m.Formats.LinkFormat;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Server.Operations;

public class DownlinkOperationTests
{
    private static readonly ObjectDefinitionRegistry Objects = new();

    private static async Task<(ServerFixture F, FakeClient Client)> RegisteredAsync(string query, string links, Func<CoapMessage, CoapResponse?>? answer = null)
    {
        ServerFixture f = await ServerFixture.StartAsync();
        FakeClient client = await f.AddClientAsync(answer);
        CoapResponse created = await f.RunAsync(client.Endpoint.SendAsync(f.Server.LocalEndPoint, ServerFixture.Register(query, links)));
        Assert.Equal(CoapCode.Created, created.Code);
        return (f, client);
    }

    private static CoapResponse Content(ushort format, Lwm2mPath path, Lwm2mNode node)
    {
        Assert.True(Lwm2mContentFormatRegistry.Default.TryGet(format, out ILwm2mContentCodec? codec));
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        Assert.Null(codec.EncodeNode(path, node, buffer));
        return new CoapResponse(CoapCode.Content, buffer.WrittenMemory.ToArray()) { ContentFormat = format };
    }

    private static ushort? Accept(CoapMessage request) => (ushort?)request.GetUIntOption(CoapOptionNumber.Accept);

    [Fact]
    public async Task Read_refused_with_not_acceptable_is_retried_once_in_senml_json()
    {
        var resource = new Lwm2mSingleResource(0, Lwm2mValue.FromString("Acme"));
        var (f, client) = await RegisteredAsync("ep=dev&lwm2m=1.1", "</3/0>", request =>
            Accept(request) == Lwm2mContentFormat.SenmlJson ? Content(Lwm2mContentFormat.SenmlJson, Lwm2mPath.Parse("/3/0/0"), resource) : new CoapResponse(CoapCode.NotAcceptable));
        await using var _ = f;

        ReadResult result = await f.RunAsync(f.Server.ReadAsync("dev", Lwm2mPath.Parse("/3/0/0")));

        Assert.True(result.IsSuccess, result.ToString());
        Assert.Equal(resource, result.Node);
        Assert.Equal([Lwm2mContentFormat.SenmlCbor, Lwm2mContentFormat.SenmlJson], client.Received.Select(r => Accept(r)!.Value));
    }

    [Fact]
    public async Task Read_refused_in_every_format_reports_the_client_code_after_one_retry()
    {
        var (f, client) = await RegisteredAsync("ep=dev&lwm2m=1.0", "</3/0>", _ => new CoapResponse(CoapCode.NotAcceptable));
        await using var _ = f;

        ReadResult result = await f.RunAsync(f.Server.ReadAsync("dev", Lwm2mPath.Parse("/3/0/0")));

        Assert.Equal(Lwm2mResultStatus.ErrorResponse, result.Status);
        Assert.Equal(CoapCode.NotAcceptable, result.Code);
        Assert.Equal([Lwm2mContentFormat.Tlv, Lwm2mContentFormat.Text], client.Received.Select(r => Accept(r)!.Value));
    }

    [Fact]
    public async Task Read_in_an_explicit_format_is_not_retried()
    {
        var (f, client) = await RegisteredAsync("ep=dev&lwm2m=1.1", "</3/0>", _ => new CoapResponse(CoapCode.NotAcceptable));
        await using var _ = f;

        ReadResult result = await f.RunAsync(f.Server.ReadAsync("dev", Lwm2mPath.Parse("/3/0"), format: Lwm2mContentFormat.Tlv));

        Assert.Equal(CoapCode.NotAcceptable, result.Code);
        Assert.Equal([Lwm2mContentFormat.Tlv], client.Received.Select(r => Accept(r)!.Value));
    }

    [Fact]
    public async Task Error_answer_carries_the_code_and_the_client_diagnostic()
    {
        var (f, _) = await RegisteredAsync("ep=dev&lwm2m=1.1", "</3/0>", _ => CoapResponse.Text(CoapCode.NotFound, "no such instance"));
        await using var __ = f;

        ReadResult result = await f.RunAsync(f.Server.ReadAsync("dev", Lwm2mPath.Parse("/3/7")));

        Assert.Equal(Lwm2mResultStatus.ErrorResponse, result.Status);
        Assert.Equal(CoapCode.NotFound, result.Code);
        Assert.Equal("no such instance", result.Diagnostic);
    }

    [Fact]
    public async Task Operation_on_an_unknown_endpoint_is_not_registered()
    {
        await using var f = await ServerFixture.StartAsync();

        ReadResult result = await f.RunAsync(f.Server.ReadAsync("ghost", Lwm2mPath.Parse("/3/0")));

        Assert.Equal(Lwm2mResultStatus.NotRegistered, result.Status);
        Assert.Null(result.Code);
    }

    [Fact]
    public async Task Client_that_does_not_answer_times_out_at_the_given_timeout_and_other_clients_still_work()
    {
        var (f, silent) = await RegisteredAsync("ep=silent&lwm2m=1.1", "</3/0>");
        await using var _ = f;
        FakeClient other = await f.AddClientAsync(_ => new CoapResponse(CoapCode.Changed), seed: 11);
        await f.RunAsync(other.Endpoint.SendAsync(f.Server.LocalEndPoint, ServerFixture.Register("ep=other&lwm2m=1.1", "</3/0>")));
        f.Network.Partition(silent.Address, f.Server.LocalEndPoint);
        DateTimeOffset start = f.Clock.GetUtcNow();

        Task<ReadResult> read = f.Server.ReadAsync("silent", Lwm2mPath.Parse("/3/0"), timeout: TimeSpan.FromSeconds(20));
        Lwm2mResult execute = await f.RunAsync(f.Server.ExecuteAsync("other", Lwm2mPath.Parse("/3/0/4")));
        ReadResult result = await f.RunAsync(read);

        Assert.Equal(Lwm2mResultStatus.Timeout, result.Status);
        Assert.Equal(start + TimeSpan.FromSeconds(20), f.Clock.GetUtcNow());
        Assert.True(execute.IsSuccess);
    }

    [Theory]
    [InlineData(Lwm2mWriteMode.Replace, 0x03)]
    [InlineData(Lwm2mWriteMode.PartialUpdate, 0x02)]
    public async Task Write_sends_put_or_post_with_a_payload_the_client_can_decode(Lwm2mWriteMode mode, byte method)
    {
        var (f, client) = await RegisteredAsync("ep=dev&lwm2m=1.1", "</>;rt=\"oma.lwm2m\";ct=\"110 11542\",</3/0>", _ => new CoapResponse(CoapCode.Changed));
        await using var _ = f;
        var instance = new Lwm2mObjectInstance(0, [new Lwm2mSingleResource(14, Lwm2mValue.FromString("+01:00")), new Lwm2mSingleResource(15, Lwm2mValue.FromString("Europe/Paris"))]);

        Lwm2mResult result = await f.RunAsync(f.Server.WriteAsync("dev", Lwm2mPath.Parse("/3/0"), instance, mode));

        Assert.True(result.IsSuccess, result.ToString());
        CoapMessage request = Assert.Single(client.Received);
        Assert.Equal(method, request.Code.Value);
        Assert.Equal("/3/0", request.UriPath);
        Assert.Equal(Lwm2mContentFormat.SenmlJson, request.ContentFormat);
        Assert.True(Lwm2mContentFormatRegistry.Default.TryGet(Lwm2mContentFormat.SenmlJson, out ILwm2mContentCodec? codec));
        Assert.Equal(instance, codec.DecodeNode(request.Payload.Span, Lwm2mPath.Parse("/3/0"), Objects).Value);
    }

    [Fact]
    public async Task Write_refused_as_unsupported_content_format_is_retried_once_in_another_format()
    {
        var (f, client) = await RegisteredAsync("ep=dev&lwm2m=1.1", "</3/0>", r =>
            r.ContentFormat == Lwm2mContentFormat.SenmlCbor ? new CoapResponse(CoapCode.UnsupportedContentFormat) : new CoapResponse(CoapCode.Changed));
        await using var _ = f;

        Lwm2mResult result = await f.RunAsync(f.Server.WriteAsync("dev", Lwm2mPath.Parse("/3/0/14"), new Lwm2mSingleResource(14, Lwm2mValue.FromString("+02:00"))));

        Assert.True(result.IsSuccess, result.ToString());
        Assert.Equal([Lwm2mContentFormat.SenmlCbor, Lwm2mContentFormat.SenmlJson], client.Received.Select(r => r.ContentFormat!.Value));
    }

    [Fact]
    public async Task Execute_posts_the_arguments_as_the_payload()
    {
        var (f, client) = await RegisteredAsync("ep=dev&lwm2m=1.1", "</3/0>", _ => new CoapResponse(CoapCode.Changed));
        await using var _ = f;

        Lwm2mResult result = await f.RunAsync(f.Server.ExecuteAsync("dev", Lwm2mPath.Parse("/3/0/4"), "0='now',1"));

        Assert.Equal(CoapCode.Changed, result.Code);
        CoapMessage request = Assert.Single(client.Received);
        Assert.Equal(CoapCode.Post, request.Code);
        Assert.Equal("/3/0/4", request.UriPath);
        Assert.Equal("0='now',1", Encoding.UTF8.GetString(request.Payload.Span));
    }

    [Fact]
    public async Task Requests_to_a_client_with_an_alternate_root_path_go_below_it()
    {
        var (f, client) = await RegisteredAsync("ep=dev&lwm2m=1.1", "</lwm2m>;rt=\"oma.lwm2m\",</lwm2m/3/0>", _ => new CoapResponse(CoapCode.Deleted));
        await using var _ = f;

        Lwm2mResult result = await f.RunAsync(f.Server.DeleteAsync("dev", Lwm2mPath.Parse("/3/0")));

        Assert.Equal(CoapCode.Deleted, result.Code);
        CoapMessage request = Assert.Single(client.Received);
        Assert.Equal(CoapCode.Delete, request.Code);
        Assert.Equal("/lwm2m/3/0", request.UriPath);
    }

    [Fact]
    public async Task Create_posts_the_new_instance_to_the_object()
    {
        var (f, client) = await RegisteredAsync("ep=dev&lwm2m=1.0", "</3303>", _ => new CoapResponse(CoapCode.Created));
        await using var _ = f;
        var instance = new Lwm2mObjectInstance(2, [new Lwm2mSingleResource(5701, Lwm2mValue.FromString("Cel"))]);

        Lwm2mResult result = await f.RunAsync(f.Server.CreateAsync("dev", Lwm2mPath.Parse("/3303"), instance));

        Assert.Equal(CoapCode.Created, result.Code);
        CoapMessage request = Assert.Single(client.Received);
        Assert.Equal(CoapCode.Post, request.Code);
        Assert.Equal("/3303", request.UriPath);
        Assert.Equal(Lwm2mContentFormat.Tlv, request.ContentFormat);
        Assert.True(Lwm2mContentFormatRegistry.Default.TryGet(Lwm2mContentFormat.Tlv, out ILwm2mContentCodec? codec));
        var decoded = Assert.IsType<Lwm2mObject>(codec.DecodeNode(request.Payload.Span, Lwm2mPath.Parse("/3303"), Objects).Value);
        Assert.Equal(instance, Assert.Single(decoded.Instances));
    }

    [Fact]
    public async Task Discover_asks_for_link_format_and_returns_the_links_with_attributes()
    {
        var (f, client) = await RegisteredAsync("ep=dev&lwm2m=1.2", "</3/0>", _ =>
            new CoapResponse(CoapCode.Content, "</3/0>;pmin=10,</3/0/0>,</3/0/11>;dim=2"u8.ToArray()) { ContentFormat = 40 });
        await using var _ = f;

        DiscoverResult result = await f.RunAsync(f.Server.DiscoverAsync("dev", Lwm2mPath.Parse("/3/0"), depth: 2));

        Assert.True(result.IsSuccess, result.ToString());
        Assert.Equal(["/3/0", "/3/0/0", "/3/0/11"], result.Links.Select(l => l.Target));
        Assert.Equal("10", result.Links[0]["pmin"]);
        CoapMessage request = Assert.Single(client.Received);
        Assert.Equal((ushort)40, Accept(request));
        Assert.Equal(["depth=2"], request.UriQueries);
    }

    [Fact]
    public async Task Write_attributes_puts_the_attributes_as_query_parameters()
    {
        var (f, client) = await RegisteredAsync("ep=dev&lwm2m=1.1", "</3/0>", _ => new CoapResponse(CoapCode.Changed));
        await using var _ = f;

        Lwm2mResult result = await f.RunAsync(f.Server.WriteAttributesAsync("dev", Lwm2mPath.Parse("/3/0/9"), new Lwm2mAttributes { MinimumPeriod = 5, MaximumPeriod = 60 }));

        Assert.True(result.IsSuccess);
        CoapMessage request = Assert.Single(client.Received);
        Assert.Equal(CoapCode.Put, request.Code);
        Assert.Null(request.ContentFormat);
        Assert.Equal(["pmin=5", "pmax=60"], request.UriQueries);
    }
}
