using Tern.Coap.Endpoint;
using Tern.Coap.Messages;
using Tern.Coap.Timing;
using Tern.Coap.Transport;
using Tern.Coap.Transport.Virtual;

namespace Tern.Coap.Tests.Transport.Virtual;

/// <summary>The virtual network under real CoAP endpoints: what it was built for.</summary>
public class VirtualNetworkEndpointTests
{
    private readonly VirtualTimeProvider _clock = new();

    [Fact]
    public async Task Request_lost_to_a_partition_is_retransmitted_after_ACK_TIMEOUT_on_virtual_time_and_answered()
    {
        await using var network = new VirtualNetwork(_clock, seed: 1) { WaitForReadersToStart = true };
        await using CoapEndpoint server = await CoapEndpoint.StartAsync(
            network.CreateTransport(), new CoapEndpointOptions { Handler = new HelloHandler(), Random = new Random(1) }, _clock);
        await using CoapEndpoint client = await CoapEndpoint.StartAsync(
            network.CreateTransport(), new CoapEndpointOptions { Random = new Random(2) }, _clock);
        using IDisposable serverCheck = network.AddIdleCheck(() => server.IsIdle);
        using IDisposable clientCheck = network.AddIdleCheck(() => client.IsIdle);
        DateTimeOffset start = _clock.GetUtcNow();

        network.Partition(client.LocalEndPoint, server.LocalEndPoint);
        Task<CoapResponse> request = client.SendAsync(server.LocalEndPoint, new CoapMessage { Type = CoapMessageType.Confirmable, Code = CoapCode.Get }.SetUriPath("/hello"));
        await network.RunForAsync(TimeSpan.FromSeconds(1));
        network.Heal(client.LocalEndPoint, server.LocalEndPoint);
        bool answered = await network.RunUntilAsync(() => request.IsCompleted, TimeSpan.FromMinutes(1));

        Assert.True(answered, $"now {_clock.GetUtcNow():HH:mm:ss.fff} next {_clock.NextTimerDue:HH:mm:ss.fff} client idle {client.IsIdle} server idle {server.IsIdle} status {request.Status}\n" + string.Join("\n", network.Capture));
        Assert.Equal("hello", (await request).PayloadText);
        VirtualDatagram[] requests = [.. network.Capture.Where(d => d.From == client.LocalEndPoint)];
        Assert.Equal(VirtualDatagramFate.Partitioned, requests[0].Fate);
        Assert.Equal(VirtualDatagramFate.Delivered, requests[1].Fate);
        Assert.Equal(requests[0].Bytes.ToArray(), requests[1].Bytes.ToArray());

        // RFC 7252 §4.8: the first retransmission waits ACK_TIMEOUT (2 s) times a random factor of 1 to 1.5.
        Assert.InRange(requests[1].SentAt - start, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(3));
        VirtualDatagram response = Assert.Single(network.Capture, d => d.From == server.LocalEndPoint);
        Assert.Equal(requests[1].SentAt, response.SentAt);
    }

    [Fact]
    public async Task Many_requests_over_a_lossy_duplicating_reordering_network_all_complete()
    {
        await using var network = new VirtualNetwork(_clock, seed: 9) { WaitForReadersToStart = true };
        network.DefaultConditions = new VirtualLinkConditions
        {
            LossProbability = 0.2, DuplicationProbability = 0.1, Latency = TimeSpan.FromMilliseconds(20), ReorderJitter = TimeSpan.FromMilliseconds(40),
        };
        await using CoapEndpoint server = await CoapEndpoint.StartAsync(
            network.CreateTransport(), new CoapEndpointOptions { Handler = new HelloHandler(), Random = new Random(1) }, _clock);
        await using CoapEndpoint client = await CoapEndpoint.StartAsync(
            network.CreateTransport(), new CoapEndpointOptions { Random = new Random(2) }, _clock);
        using IDisposable serverCheck = network.AddIdleCheck(() => server.IsIdle);
        using IDisposable clientCheck = network.AddIdleCheck(() => client.IsIdle);

        Task<CoapResponse>[] requests = [.. Enumerable.Range(0, 10).Select(_ =>
            client.SendAsync(server.LocalEndPoint, new CoapMessage { Type = CoapMessageType.Confirmable, Code = CoapCode.Get }.SetUriPath("/hello")))];
        bool done = await network.RunUntilAsync(() => requests.All(r => r.IsCompleted), TimeSpan.FromMinutes(10));

        Assert.True(done, $"now {_clock.GetUtcNow():HH:mm:ss.fff} next {_clock.NextTimerDue:HH:mm:ss.fff} client idle {client.IsIdle} server idle {server.IsIdle} inflight {network.InFlightCount} done {requests.Count(r => r.IsCompleted)}\n" + string.Join("\n", requests.Select(r => r.Status + " " + r.Exception?.InnerException?.Message)) + "\n" + string.Join("\n", network.Capture));
        Assert.All(requests, r => Assert.Equal("hello", r.Result.PayloadText));
        Assert.Contains(network.Capture, d => d.Fate == VirtualDatagramFate.Lost);
        Assert.Contains(network.Capture, d => d.IsDuplicate);
    }

    private sealed class HelloHandler : ICoapRequestHandler
    {
        public ValueTask<CoapResponse?> HandleAsync(CoapRequestContext request, CancellationToken cancellationToken) =>
            ValueTask.FromResult<CoapResponse?>(CoapResponse.Text(CoapCode.Content, "hello"));
    }
}
