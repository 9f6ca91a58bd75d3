using System.Text;
using Tern.Coap.Endpoint;
using Tern.Coap.Engine;
using Tern.Coap.Messages;
using Tern.Coap.Transport.Virtual;

namespace Tern.Coap.Tests.Endpoint;

public class CoapEndpointTests
{
    private static CoapResourceServer Resources(out ObservableCoapResource observable)
    {
        observable = new ObservableCoapResource("0"u8.ToArray(), contentFormat: 0);
        return new CoapResourceServer()
            .Map("/hello", new CoapResource { Get = (_, _) => ValueTask.FromResult(CoapResponse.Text(CoapCode.Content, "world")) })
            .Map("/echo", new CoapResource { Post = (r, _) => ValueTask.FromResult(new CoapResponse(CoapCode.Changed, r.Request.Payload.ToArray())) })
            .Map("/boom", new CoapResource { Get = (_, _) => throw new InvalidOperationException("handler bug") })
            .Map("/counter", observable);
    }

    [Fact]
    public async Task SendAsync_returns_the_response_the_server_handler_produced()
    {
        await using var f = await EndpointFixture.StartAsync(Resources(out _));

        CoapResponse response = await f.RunAsync(f.Client.SendAsync(f.Server.LocalEndPoint, EndpointFixture.Get("/hello")));

        Assert.Equal(CoapCode.Content, response.Code);
        Assert.Equal("world", response.PayloadText);
        Assert.Equal((ushort)0, response.ContentFormat);
    }

    [Fact]
    public async Task Unknown_path_gets_not_found_and_unsupported_method_gets_method_not_allowed()
    {
        await using var f = await EndpointFixture.StartAsync(Resources(out _));

        CoapResponse missing = await f.RunAsync(f.Client.SendAsync(f.Server.LocalEndPoint, EndpointFixture.Get("/nothing")));
        CoapResponse wrongMethod = await f.RunAsync(f.Client.SendAsync(f.Server.LocalEndPoint, new CoapMessage { Code = CoapCode.Delete }.SetUriPath("/hello")));

        Assert.Equal(CoapCode.NotFound, missing.Code);
        Assert.Equal(CoapCode.MethodNotAllowed, wrongMethod.Code);
    }

    [Fact]
    public async Task Handler_exception_becomes_internal_server_error_and_the_server_keeps_serving()
    {
        await using var f = await EndpointFixture.StartAsync(Resources(out _));

        CoapResponse failed = await f.RunAsync(f.Client.SendAsync(f.Server.LocalEndPoint, EndpointFixture.Get("/boom")));
        CoapResponse next = await f.RunAsync(f.Client.SendAsync(f.Server.LocalEndPoint, EndpointFixture.Get("/hello")));

        Assert.Equal(CoapCode.InternalServerError, failed.Code);
        Assert.Equal(CoapCode.Content, next.Code);
    }

    [Fact]
    public async Task Request_to_an_unreachable_peer_fails_with_timeout_after_max_transmit_wait_at_most()
    {
        await using var f = await EndpointFixture.StartAsync(Resources(out _));
        f.Network.Partition(f.Client.LocalEndPoint, f.Server.LocalEndPoint);
        DateTimeOffset start = f.Clock.GetUtcNow();

        Task<CoapResponse> send = f.Client.SendAsync(f.Server.LocalEndPoint, EndpointFixture.Get("/hello"));
        await f.RunAsync((Task)send);

        var error = await Assert.ThrowsAsync<CoapException>(() => send);
        Assert.Equal(CoapErrorKind.Timeout, error.Kind);
        Assert.InRange(f.Clock.GetUtcNow() - start, TimeSpan.FromSeconds(62), TimeSpan.FromSeconds(93));
    }

    [Fact]
    public async Task Requests_get_through_a_lossy_duplicating_network_by_retransmission()
    {
        var conditions = new VirtualLinkConditions { LossProbability = 0.15, DuplicationProbability = 0.2, Latency = TimeSpan.FromMilliseconds(20) };
        await using var f = await EndpointFixture.StartAsync(Resources(out _), seed: 3, conditions: conditions);

        for (int i = 0; i < 10; i++)
        {
            var post = new CoapMessage { Code = CoapCode.Post, Payload = Encoding.UTF8.GetBytes($"m{i}") }.SetUriPath("/echo");
            CoapResponse response = await f.RunAsync(f.Client.SendAsync(f.Server.LocalEndPoint, post));
            Assert.Equal($"m{i}", response.PayloadText);
        }

        Assert.Contains(f.Network.Capture, d => d.Fate == VirtualDatagramFate.Lost);
    }

    [Fact]
    public async Task Slow_handler_is_answered_with_an_empty_ack_first_and_a_separate_response_later()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var server = new CoapResourceServer().Map("/slow", new CoapResource
        {
            Get = async (_, ct) =>
            {
                await release.Task.WaitAsync(ct);
                return CoapResponse.Text(CoapCode.Content, "done");
            },
        });
        await using var f = await EndpointFixture.StartAsync(server);

        Task<CoapResponse> send = f.Client.SendAsync(f.Server.LocalEndPoint, EndpointFixture.Get("/slow"));
        await f.Network.RunForAsync(TimeSpan.FromSeconds(1.5));
        Assert.False(send.IsCompleted);
        Assert.Contains(f.Network.Capture, d => d.From == f.Server.LocalEndPoint && d.Bytes.Span[0] == 0x60 && d.Bytes.Span[1] == 0x00);
        release.SetResult();
        CoapResponse response = await f.RunAsync(send);

        Assert.Equal("done", response.PayloadText);
        Assert.Contains(f.Network.Capture, d => d.From == f.Server.LocalEndPoint && (d.Bytes.Span[0] & 0x30) == 0x00 && d.Bytes.Span[1] == 0x45);
    }

    [Fact]
    public async Task Ping_completes_against_a_live_endpoint_and_times_out_against_a_silent_one()
    {
        await using var f = await EndpointFixture.StartAsync(Resources(out _));

        await f.RunAsync(f.Client.PingAsync(f.Server.LocalEndPoint));
        f.Network.Partition(f.Client.LocalEndPoint, f.Server.LocalEndPoint);
        Task ping = f.Client.PingAsync(f.Server.LocalEndPoint);
        await f.RunAsync(ping);

        Assert.Equal(CoapErrorKind.Timeout, (await Assert.ThrowsAsync<CoapException>(() => ping)).Kind);
    }

    [Fact]
    public async Task Cancelling_the_token_abandons_the_request_with_operation_canceled()
    {
        await using var f = await EndpointFixture.StartAsync(Resources(out _));
        f.Network.Partition(f.Client.LocalEndPoint, f.Server.LocalEndPoint);
        using var cts = new CancellationTokenSource();

        Task<CoapResponse> send = f.Client.SendAsync(f.Server.LocalEndPoint, EndpointFixture.Get("/hello"), cts.Token);
        await f.Network.RunForAsync(TimeSpan.FromSeconds(5));
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => send);
    }

    [Fact]
    public async Task Disposing_the_endpoint_fails_pending_requests_with_cancelled()
    {
        await using var f = await EndpointFixture.StartAsync(Resources(out _));
        f.Network.Partition(f.Client.LocalEndPoint, f.Server.LocalEndPoint);

        Task<CoapResponse> send = f.Client.SendAsync(f.Server.LocalEndPoint, EndpointFixture.Get("/hello"));
        await f.Client.DisposeAsync();

        Assert.Equal(CoapErrorKind.Cancelled, (await Assert.ThrowsAsync<CoapException>(() => send)).Kind);
    }

    [Fact]
    public async Task Receive_loop_survives_garbage_and_keeps_serving()
    {
        await using var f = await EndpointFixture.StartAsync(Resources(out _));
        await using VirtualCoapTransport raw = f.Network.CreateTransport();
        var random = new Random(11);

        for (int i = 0; i < 200; i++)
        {
            byte[] junk = new byte[random.Next(0, 40)];
            random.NextBytes(junk);
            await raw.SendAsync(f.Server.LocalEndPoint, junk);
        }

        await f.SettleAsync();
        CoapResponse response = await f.RunAsync(f.Client.SendAsync(f.Server.LocalEndPoint, EndpointFixture.Get("/hello")));

        Assert.Equal("world", response.PayloadText);
    }

    [Fact]
    public async Task Large_bodies_go_block_wise_in_both_directions_over_a_lossy_network()
    {
        byte[] stored = [];
        var server = new CoapResourceServer().Map("/blob", new CoapResource
        {
            Get = (_, _) => ValueTask.FromResult(new CoapResponse(CoapCode.Content, stored)),
            Put = (r, _) =>
            {
                stored = r.Request.Payload.ToArray();
                return ValueTask.FromResult(new CoapResponse(CoapCode.Changed));
            },
        });
        var conditions = new VirtualLinkConditions { LossProbability = 0.1, Latency = TimeSpan.FromMilliseconds(10) };
        await using var f = await EndpointFixture.StartAsync(server, seed: 5, conditions: conditions);
        byte[] body = [.. Enumerable.Range(0, 5000).Select(i => (byte)(i * 7))];

        CoapResponse put = await f.RunAsync(f.Client.SendAsync(f.Server.LocalEndPoint, new CoapMessage { Code = CoapCode.Put, Payload = body }.SetUriPath("/blob")));
        CoapResponse get = await f.RunAsync(f.Client.SendAsync(f.Server.LocalEndPoint, EndpointFixture.Get("/blob")));

        Assert.Equal(CoapCode.Changed, put.Code);
        Assert.Equal(body, stored);
        Assert.Equal(body, get.Payload.ToArray());
        Assert.All(f.Network.Capture, d => Assert.True(d.Bytes.Length <= 1152));
    }
}
